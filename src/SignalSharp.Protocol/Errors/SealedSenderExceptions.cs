namespace SignalSharp.Protocol;

/// <summary>A certificate is malformed, names an unknown server certificate, or does not validate.</summary>
public sealed class InvalidCertificateException(string message) : ProtocolException(message);

/// <summary>
/// The sealed envelope itself could not be opened or is malformed (bad MAC, wrong recipient, bad layout): the
/// sender is unknown, so nobody can be asked to resend.
/// </summary>
public sealed class InvalidSealedSenderMessageException(string message) : ProtocolException(message);

/// <summary>A sealed message claims to come from this very device.</summary>
public sealed class SealedSenderSelfSendException() : ProtocolException("sealed sender message sent by this device to itself");

/// <summary>A recipient's registration id does not fit the 14 bits sealed sender v2 has room for.</summary>
public sealed class InvalidRegistrationIdException(string serviceId, uint deviceId, uint registrationId)
    : ProtocolException($"registration id {registrationId} of {serviceId}.{deviceId} does not fit in 14 bits")
{
    public string ServiceId { get; } = serviceId;

    public uint DeviceId { get; } = deviceId;

    public uint RegistrationId { get; } = registrationId;
}
