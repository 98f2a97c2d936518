namespace SignalSharp.Protocol.Messages;

/// <summary>
/// The 36-byte <c>addresses</c> field of a SignalMessage sent while a session is unacknowledged:
/// sender ServiceId (17, fixed width) ‖ sender device (1) ‖ recipient ServiceId (17) ‖ recipient device (1).
/// Addresses whose names are not ServiceId strings (ACI UUID or "PNI:" UUID) have no encoding.
/// </summary>
internal static class ServiceIdAddresses
{
    public const int Length = 36;

    /// <summary>Encodes the pair, or returns null when either address cannot be written in fixed width.</summary>
    public static byte[]? Encode(ProtocolAddress sender, ProtocolAddress recipient)
    {
        var output = new byte[Length];
        if (!TryWrite(sender, output.AsSpan(0, 18)) || !TryWrite(recipient, output.AsSpan(18, 18)))
        {
            return null;
        }

        return output;
    }

    /// <summary>The 17-byte fixed-width ServiceId of a name, or false when the name is no ServiceId string.</summary>
    public static bool TryWriteServiceId(string name, Span<byte> destination17)
    {
        byte kind = 0;
        var uuidText = name.AsSpan();
        if (uuidText.StartsWith("PNI:", StringComparison.Ordinal))
        {
            kind = 1;
            uuidText = uuidText[4..];
        }

        // Only the canonical hyphenated form counts, as libsignal's ServiceId parser requires.
        if (uuidText.Length != 36 || !Guid.TryParseExact(uuidText, "D", out var uuid))
        {
            return false;
        }

        destination17[0] = kind;
        return uuid.TryWriteBytes(destination17[1..], bigEndian: true, out _);
    }

    /// <summary>True when both names denote the same ServiceId (used to detect a session with oneself).</summary>
    public static bool SameServiceId(string a, string b)
    {
        Span<byte> left = stackalloc byte[17];
        Span<byte> right = stackalloc byte[17];
        return TryWriteServiceId(a, left) && TryWriteServiceId(b, right) && left.SequenceEqual(right);
    }

    private static bool TryWrite(ProtocolAddress address, Span<byte> destination18)
    {
        if (address.DeviceId > byte.MaxValue || !TryWriteServiceId(address.Name, destination18[..17]))
        {
            return false;
        }

        destination18[17] = (byte)address.DeviceId;
        return true;
    }
}
