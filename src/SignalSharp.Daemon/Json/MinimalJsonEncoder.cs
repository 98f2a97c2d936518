using System.Text;
using System.Text.Encodings.Web;

namespace SignalSharp.Daemon.Json;

/// <summary>
/// Escapes only what JSON requires (quote, backslash, control characters) and invalid UTF-16, so that emoji and
/// every other character reach the client as plain UTF-8. The built-in encoders escape everything outside the
/// Basic Multilingual Plane, which turns each emoji into a pair of \u escapes. Responses go to a TCP client, never
/// into HTML, so the HTML-safety escaping of the default encoder buys nothing here.
/// </summary>
internal sealed class MinimalJsonEncoder : JavaScriptEncoder
{
    public static readonly MinimalJsonEncoder Instance = new();

    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        var span = new ReadOnlySpan<char>(text, textLength);
        for (var i = 0; i < span.Length; i++)
        {
            var c = span[i];
            if (c < 0x20 || c == '"' || c == '\\')
            {
                return i;
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
                {
                    i++;
                    continue;
                }

                return i;
            }

            if (char.IsLowSurrogate(c))
            {
                return i;
            }
        }

        return -1;
    }

    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        var i = 0;
        while (i < utf8Text.Length)
        {
            var b = utf8Text[i];
            if (b < 0x80)
            {
                if (b < 0x20 || b == '"' || b == '\\')
                {
                    return i;
                }

                i++;
                continue;
            }

            if (Rune.DecodeFromUtf8(utf8Text[i..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return i;
            }

            i += consumed;
        }

        return -1;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var output = new Span<char>(buffer, bufferLength);
        ReadOnlySpan<char> escape = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\b' => "\\b",
            '\f' => "\\f",
            _ => default,
        };

        if (escape.IsEmpty && !WillEncode(unicodeScalar))
        {
            if (!Rune.TryCreate(unicodeScalar, out var rune))
            {
                rune = Rune.ReplacementChar;
            }

            return rune.TryEncodeToUtf16(output, out numberOfCharactersWritten);
        }

        if (escape.IsEmpty)
        {
            if (output.Length < 6)
            {
                numberOfCharactersWritten = 0;
                return false;
            }

            // Only control characters and lone surrogates get here; both fit one \uXXXX.
            "\\u".CopyTo(output);
            ((ushort)unicodeScalar).TryFormat(output[2..], out _, "X4");
            numberOfCharactersWritten = 6;
            return true;
        }

        if (!escape.TryCopyTo(output))
        {
            numberOfCharactersWritten = 0;
            return false;
        }

        numberOfCharactersWritten = escape.Length;
        return true;
    }

    public override bool WillEncode(int unicodeScalar) =>
        unicodeScalar < 0x20 || unicodeScalar == '"' || unicodeScalar == '\\' || unicodeScalar is >= 0xD800 and <= 0xDFFF;
}
