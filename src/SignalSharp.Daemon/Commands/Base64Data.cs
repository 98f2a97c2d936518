using System.Buffers;
using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace SignalSharp.Daemon.Commands;

/// <summary>
/// Decodes an attachment's base64Data straight from the command's UTF-8 bytes into one array of the exact decoded
/// size. JsonElement.TryGetBytesFromBase64 rents a scratch buffer as large as the text (which the shared pool then
/// keeps: 64 MiB after a 30 MiB attachment) and copies the result out of it, so a big attachment cost the daemon
/// about three times its size on top of the command; here it costs its size once.
/// </summary>
internal static class Base64Data
{
    /// <param name="extracted">The values taken out of this command before parsing, if any.</param>
    public static bool TryDecode(JsonElement value, LargeBase64Values? extracted, out byte[] bytes)
    {
        // The raw value is the quoted JSON text; a string with escapes (never needed for base64) takes the slow path.
        var raw = JsonMarshal.GetRawUtf8Value(value);
        var text = raw[1..^1];
        if (extracted is not null && extracted.TryResolve(text, out var resolved))
        {
            bytes = resolved ?? [];
            return resolved is not null;
        }

        if (text.Contains((byte)'\\'))
        {
            return value.TryGetBytesFromBase64(out bytes!);
        }

        return TryDecode(text, out bytes);
    }

    public static bool TryDecode(ReadOnlySpan<byte> text, out byte[] bytes)
    {
        bytes = [];
        if (text.IsEmpty)
        {
            return true;
        }

        var padding = text[^1] == '=' ? (text.Length > 1 && text[^2] == '=' ? 2 : 1) : 0;
        var exact = text.Length % 4 == 0 ? (text.Length / 4 * 3) - padding : Base64.GetMaxDecodedFromUtf8Length(text.Length);
        var decoded = new byte[exact];
        var status = Base64.DecodeFromUtf8(text, decoded, out var consumed, out var written);
        if (status != OperationStatus.Done || consumed != text.Length)
        {
            return false;
        }

        // Only text with embedded spaces (which the decoder skips) decodes to fewer bytes than its length says.
        bytes = written == decoded.Length ? decoded : decoded.AsSpan(0, written).ToArray();
        return true;
    }
}
