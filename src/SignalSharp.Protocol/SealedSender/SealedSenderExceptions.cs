using SignalSharp.Protocol.Messages;

namespace SignalSharp.Protocol.SealedSender;

/// <summary>A certificate is malformed, names an unknown server certificate, or does not validate.</summary>
public sealed class InvalidCertificateException(string message) : ProtocolException(message);

/// <summary>
/// The sealed envelope itself could not be opened or is malformed (bad MAC, wrong recipient, bad layout): the
/// sender is unknown, so nobody can be asked to resend.
/// </summary>
public sealed class InvalidSealedSenderMessageException(string message) : ProtocolException(message);

/// <summary>A sealed message claims to come from this very device.</summary>
public sealed class SealedSenderSelfSendException() : ProtocolException("sealed sender message sent by this device to itself");

/// <summary>
/// The envelope opened and named its sender, but the content inside could not be used: the certificate did not
/// validate, or the inner message failed to decrypt (see <see cref="Exception.InnerException"/>). Carries what the
/// receive pipeline needs to report the failure and ask the sender for a resend.
/// </summary>
public sealed class SealedSenderDecryptionException : ProtocolException
{
    public SealedSenderDecryptionException(UnidentifiedSenderMessageContent content, Exception inner)
        : base($"sealed message from {content.SenderCertificate.SenderUuid}.{content.SenderCertificate.SenderDeviceId} failed: {inner.Message}", inner)
    {
        SenderUuid = content.SenderCertificate.SenderUuid;
        SenderE164 = content.SenderCertificate.SenderE164;
        SenderDeviceId = content.SenderCertificate.SenderDeviceId;
        ContentHint = content.ContentHint;
        GroupId = content.GroupId;
        MessageType = content.MessageType;
        Content = content;
    }

    /// <summary>The sender's service id string, from the (possibly unvalidated) certificate.</summary>
    public string SenderUuid { get; }

    public Guid? SenderAci => Guid.TryParseExact(SenderUuid, "D", out var aci) ? aci : null;

    public string? SenderE164 { get; }

    public uint SenderDeviceId { get; }

    public ContentHint ContentHint { get; }

    public byte[]? GroupId { get; }

    public CiphertextMessageType MessageType { get; }

    /// <summary>The decrypted content, e.g. to build a DecryptionErrorMessage from the original bytes.</summary>
    public UnidentifiedSenderMessageContent Content { get; }

    /// <summary>True when the certificate validated, so the sender is server-attested rather than merely claimed.</summary>
    public bool SenderValidated => InnerException is not InvalidCertificateException;

    /// <summary>
    /// The resend request for this message (the envelope's <paramref name="originalTimestamp"/>), to be sent back to
    /// the sender as a <see cref="PlaintextContent"/> when <see cref="ContentHint"/> allows it.
    /// </summary>
    public DecryptionErrorMessage CreateResendRequest(ulong originalTimestamp) =>
        DecryptionErrorMessage.ForOriginal(Content.Content, MessageType, originalTimestamp, SenderDeviceId);
}

/// <summary>A recipient's registration id does not fit the 14 bits sealed sender v2 has room for.</summary>
public sealed class InvalidRegistrationIdException(string serviceId, uint deviceId, uint registrationId)
    : ProtocolException($"registration id {registrationId} of {serviceId}.{deviceId} does not fit in 14 bits")
{
    public string ServiceId { get; } = serviceId;

    public uint DeviceId { get; } = deviceId;

    public uint RegistrationId { get; } = registrationId;
}
