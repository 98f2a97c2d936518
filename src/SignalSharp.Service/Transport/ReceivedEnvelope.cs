using Google.Protobuf;
using SignalSharp.Service.Proto;

namespace SignalSharp.Service.Transport;

/// <summary>Envelope types as the server labels them (there is no 7: sender-key messages only travel sealed).</summary>
public enum EnvelopeType
{
    Unknown = 0,
    DoubleRatchet = 1,
    PreKeyMessage = 3,
    ServerDeliveryReceipt = 5,
    UnidentifiedSender = 6,
    PlaintextContent = 8,
}

/// <summary>
/// An <c>Envelope</c> the server delivered, still encrypted. Service ids come from the binary fields
/// (the mock leaves the string forms and the server GUID empty): an ACI as a UUID string, a PNI as <c>PNI:uuid</c>.
/// </summary>
public sealed record ReceivedEnvelope
{
    public required EnvelopeType Type { get; init; }

    /// <summary>Null for sealed sender: the sender is inside <see cref="Content"/>.</summary>
    public string? SourceServiceId { get; init; }

    public uint SourceDevice { get; init; }

    public string? DestinationServiceId { get; init; }

    public ulong ClientTimestamp { get; init; }

    public ulong ServerTimestamp { get; init; }

    public required byte[] Content { get; init; }

    public bool Urgent { get; init; }

    public bool Story { get; init; }

    public bool Ephemeral { get; init; }

    public string? ServerGuid { get; init; }

    public string? UpdatedPni { get; init; }

    public byte[]? ReportSpamToken { get; init; }

    /// <exception cref="ServiceProtocolException">Not an Envelope, or a service id of the wrong length.</exception>
    internal static ReceivedEnvelope Parse(ReadOnlySpan<byte> bytes)
    {
        Envelope envelope;
        try
        {
            envelope = Envelope.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ServiceProtocolException("the pushed message is not an Envelope", e);
        }

        return new ReceivedEnvelope
        {
            Type = Enum.IsDefined((EnvelopeType)(int)envelope.Type) ? (EnvelopeType)(int)envelope.Type : EnvelopeType.Unknown,
            SourceServiceId = ServiceId(envelope.HasSourceServiceIdBinary ? envelope.SourceServiceIdBinary : null, envelope.HasSourceServiceId ? envelope.SourceServiceId : null),
            SourceDevice = envelope.SourceDeviceId,
            DestinationServiceId = ServiceId(envelope.HasDestinationServiceIdBinary ? envelope.DestinationServiceIdBinary : null, envelope.HasDestinationServiceId ? envelope.DestinationServiceId : null),
            ClientTimestamp = envelope.ClientTimestamp,
            ServerTimestamp = envelope.ServerTimestamp,
            Content = envelope.Content.ToByteArray(),
            Urgent = envelope.Urgent,
            Story = envelope.Story,
            Ephemeral = envelope.Ephemeral,
            ServerGuid = envelope.HasServerGuidBinary && envelope.ServerGuidBinary.Length == 16
                ? new Guid(envelope.ServerGuidBinary.Span, bigEndian: true).ToString()
                : envelope.HasServerGuid ? envelope.ServerGuid : null,
            UpdatedPni = ServiceId(envelope.HasUpdatedPniBinary ? envelope.UpdatedPniBinary : null, envelope.HasUpdatedPni ? envelope.UpdatedPni : null),
            ReportSpamToken = envelope.HasReportSpamToken ? envelope.ReportSpamToken.ToByteArray() : null,
        };
    }

    // Binary service ids: 16 bytes = ACI; 17 bytes = a type byte (0x01 = PNI) then the UUID.
    private static string? ServiceId(ByteString? binary, string? text)
    {
        if (binary is null || binary.IsEmpty)
        {
            return string.IsNullOrEmpty(text) ? null : text;
        }

        return binary.Length switch
        {
            16 => new Guid(binary.Span, bigEndian: true).ToString(),
            17 when binary[0] == 0x01 => "PNI:" + new Guid(binary.Span[1..], bigEndian: true),
            17 when binary[0] == 0x00 => new Guid(binary.Span[1..], bigEndian: true).ToString(),
            _ => throw new ServiceProtocolException($"a service id of {binary.Length} bytes (type {binary[0]}) is not an ACI or PNI"),
        };
    }
}
