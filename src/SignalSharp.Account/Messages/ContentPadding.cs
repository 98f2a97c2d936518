namespace SignalSharp.Account.Messages;

/// <summary>
/// Signal's transport padding around a serialized Content: the content, one 0x80, then zeros up to a multiple of
/// 160 bytes. Receivers accept any number of zeros (the mock sends none).
/// </summary>
internal static class ContentPadding
{
    private const int Block = 160;

    public static byte[] Pad(ReadOnlySpan<byte> content)
    {
        var length = ((content.Length + 1 + Block - 1) / Block) * Block;
        var padded = new byte[length];
        content.CopyTo(padded);
        padded[content.Length] = 0x80;
        return padded;
    }

    /// <exception cref="FormatException">No 0x80 terminator after the trailing zeros.</exception>
    public static ReadOnlySpan<byte> Strip(ReadOnlySpan<byte> padded)
    {
        var i = padded.Length - 1;
        while (i >= 0 && padded[i] == 0)
        {
            i--;
        }

        if (i < 0 || padded[i] != 0x80)
        {
            throw new FormatException("content padding has no 0x80 terminator");
        }

        return padded[..i];
    }
}
