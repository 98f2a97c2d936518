using SignalSharp.Protocol.Messages;

namespace SignalSharp.Protocol.SealedSender;

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
