using System.Buffers;
using SignalSharp.Daemon.Framing;

namespace SignalSharp.Daemon.Json;

/// <summary>
/// Rewrites the relaxed forms the framer let through into strict JSON: single-quoted strings become double-quoted,
/// unquoted member names get quotes. Trailing commas are left for the parser (AllowTrailingCommas).
/// The input is one object the framer already found balanced; everything else is copied unchanged, so the strict
/// parser still judges numbers, literals and escapes.
/// </summary>
internal static class RelaxedJson
{
    public static void ToStrict(ReadOnlySpan<byte> relaxed, ArrayBufferWriter<byte> strict)
    {
        var i = 0;
        while (i < relaxed.Length)
        {
            var b = relaxed[i];
            if (b == '"')
            {
                var close = EndOfString(relaxed, i, (byte)'"');
                strict.Write(relaxed[i..close]);
                i = close;
            }
            else if (b == '\'')
            {
                i = CopySingleQuoted(relaxed, i, strict);
            }
            else if (RelaxedJsonSyntax.IsIdentifierStart(b))
            {
                var wordEnd = i + 1;
                while (wordEnd < relaxed.Length && RelaxedJsonSyntax.IsIdentifierPart(relaxed[wordEnd]))
                {
                    wordEnd++;
                }

                // A word followed by ':' is a member name; anything else (true, false, null, numbers) is a value.
                var next = wordEnd;
                while (next < relaxed.Length && RelaxedJsonSyntax.IsWhitespace(relaxed[next]))
                {
                    next++;
                }

                var isName = next < relaxed.Length && relaxed[next] == ':';
                if (isName)
                {
                    Put(strict, (byte)'"');
                }

                strict.Write(relaxed[i..wordEnd]);
                if (isName)
                {
                    Put(strict, (byte)'"');
                }

                i = wordEnd;
            }
            else if (b is >= (byte)'0' and <= (byte)'9' or (byte)'-')
            {
                // Copy a whole number token so that an exponent letter is not taken for a word.
                var tokenEnd = i + 1;
                while (tokenEnd < relaxed.Length && (RelaxedJsonSyntax.IsIdentifierPart(relaxed[tokenEnd]) || relaxed[tokenEnd] is (byte)'+' or (byte)'-' or (byte)'.'))
                {
                    tokenEnd++;
                }

                strict.Write(relaxed[i..tokenEnd]);
                i = tokenEnd;
            }
            else
            {
                Put(strict, b);
                i++;
            }
        }
    }

    /// <summary>The index one past the closing quote of the string that opens at <paramref name="open"/>.</summary>
    private static int EndOfString(ReadOnlySpan<byte> text, int open, byte quote)
    {
        var i = open + 1;
        while (i < text.Length)
        {
            if (text[i] == '\\')
            {
                i += 2;
                continue;
            }

            if (text[i] == quote)
            {
                return i + 1;
            }

            i++;
        }

        return text.Length;
    }

    private static int CopySingleQuoted(ReadOnlySpan<byte> text, int open, ArrayBufferWriter<byte> strict)
    {
        Put(strict, (byte)'"');
        var i = open + 1;
        while (i < text.Length)
        {
            var b = text[i];
            if (b == '\\' && i + 1 < text.Length)
            {
                if (text[i + 1] == '\'')
                {
                    Put(strict, (byte)'\'');
                }
                else
                {
                    strict.Write(text.Slice(i, 2));
                }

                i += 2;
                continue;
            }

            if (b == '\'')
            {
                Put(strict, (byte)'"');
                return i + 1;
            }

            if (b == '"')
            {
                Put(strict, (byte)'\\');
            }

            Put(strict, b);
            i++;
        }

        return i;
    }

    private static void Put(ArrayBufferWriter<byte> writer, byte b)
    {
        writer.GetSpan(1)[0] = b;
        writer.Advance(1);
    }
}
