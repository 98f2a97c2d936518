namespace SignalSharp.Daemon.Json;

/// <summary>
/// Finds a <c>\uD800</c>-<c>\uDFFF</c> escape that is not half of a high-low pair in JSON text. Such a string
/// is valid JSON syntax but no Unicode text: .NET cannot read it as a string nor write it back, so the daemon
/// answers the command INVALID_JSON instead of letting the echo of its command or reqId fail.
/// </summary>
internal static class LoneSurrogates
{
    public static bool AreIn(ReadOnlySpan<byte> json)
    {
        var offset = 0;
        while (json[offset..].IndexOf("\\u"u8) is var found and >= 0)
        {
            var at = offset + found;
            offset = at + 2;
            if (!StartsEscape(json, at) || !TryHex(json, at + 2, out var unit))
            {
                continue;
            }

            if (unit is >= 0xDC00 and <= 0xDFFF)
            {
                return true;
            }

            if (unit is >= 0xD800 and <= 0xDBFF)
            {
                if (!json[(at + 6)..].StartsWith("\\u"u8) || !TryHex(json, at + 8, out var low) || low is < 0xDC00 or > 0xDFFF)
                {
                    return true;
                }

                offset = at + 12;
            }
        }

        return false;
    }

    /// <summary>A backslash preceded by an even number of backslashes starts an escape; after an odd number it is one.</summary>
    private static bool StartsEscape(ReadOnlySpan<byte> json, int at)
    {
        var before = 0;
        while (at - before - 1 >= 0 && json[at - before - 1] == '\\')
        {
            before++;
        }

        return before % 2 == 0;
    }

    private static bool TryHex(ReadOnlySpan<byte> json, int at, out int value)
    {
        value = 0;
        if (at + 4 > json.Length)
        {
            return false;
        }

        foreach (var b in json.Slice(at, 4))
        {
            var digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                return false;
            }

            value = (value << 4) | digit;
        }

        return true;
    }
}
