namespace SignalSharp.Protocol.SealedSender;

/// <summary>A service id as 17 bytes: kind (0x00 ACI, 0x01 PNI) followed by the UUID in network order.</summary>
internal static class ServiceIdFixedWidth
{
    public const int Length = 17;
    private const string PniPrefix = "PNI:";

    public static bool TryEncode(string serviceId, Span<byte> output)
    {
        byte kind = 0;
        var uuid = serviceId.AsSpan();
        if (serviceId.StartsWith(PniPrefix, StringComparison.Ordinal))
        {
            kind = 1;
            uuid = uuid[PniPrefix.Length..];
        }

        if (uuid.Length != 36 || !Guid.TryParseExact(uuid, "D", out var guid))
        {
            return false;
        }

        output[0] = kind;
        return guid.TryWriteBytes(output[1..Length], bigEndian: true, out _);
    }

    public static byte[] Encode(string serviceId)
    {
        var output = new byte[Length];
        return TryEncode(serviceId, output) ? output : throw new InvalidSealedSenderMessageException($"'{serviceId}' is not a service id");
    }

    public static string Decode(ReadOnlySpan<byte> fixedWidth)
    {
        var uuid = new Guid(fixedWidth[1..Length], bigEndian: true).ToString();
        return fixedWidth[0] switch
        {
            0 => uuid,
            1 => PniPrefix + uuid,
            _ => throw new InvalidSealedSenderMessageException($"unknown service id kind {fixedWidth[0]}"),
        };
    }
}
