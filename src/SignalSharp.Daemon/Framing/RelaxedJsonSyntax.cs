namespace SignalSharp.Daemon.Framing;

/// <summary>What one byte did to the object being read.</summary>
internal enum StepResult
{
    Continue,
    Reprocess,
    Complete,
    Error,
}

/// <summary>
/// The per-byte syntax machine <see cref="CommandFramer"/> runs over one top-level object: relaxed JSON's
/// structure (objects, arrays, both quote styles with escapes, unquoted names, scalars, trailing commas), enough to
/// know when the object is complete and where it went wrong. It holds no bytes and checks no scalar's spelling.
/// </summary>
internal sealed class RelaxedJsonSyntax
{
    // Nesting levels are bits 1..63 of a ulong; deeper input is answered INVALID_JSON (no command nests beyond 4).
    private const int MaxDepth = 63;

    private Token token;
    private bool escaped;
    private bool stringIsKey;
    private int depth;
    private ulong arrayLevels;   // bit d set when nesting level d (1-based) is an array

    private enum Token
    {
        KeyOrEnd,
        KeyOrEndAfterComma,
        UnquotedKey,
        AfterKey,
        Value,
        ArrayValueOrEnd,
        ArrayValueAfterComma,
        InString,
        Scalar,
        AfterValue,
    }

    /// <summary>Whether the object so far used a relaxed form (single quotes, unquoted names, trailing commas).</summary>
    public bool Relaxed { get; private set; }

    /// <summary>The quote of the string being read.</summary>
    public byte Quote { get; private set; }

    public bool InString => token == Token.InString;

    /// <summary>Inside a string and not after a backslash: only a quote, backslash or control byte matters next.</summary>
    public bool InPlainString => token == Token.InString && !escaped;

    /// <summary>Starts a new object; its opening brace was already read.</summary>
    public void BeginObject()
    {
        Relaxed = false;
        depth = 1;
        arrayLevels = 0;
        token = Token.KeyOrEnd;
    }

    public StepResult Step(byte b)
    {
        switch (token)
        {
            case Token.InString:
                if (escaped)
                {
                    escaped = false;
                    return b < 0x20 ? StepResult.Error : StepResult.Continue;
                }

                if (b == '\\')
                {
                    escaped = true;
                }
                else if (b == Quote)
                {
                    token = stringIsKey ? Token.AfterKey : Token.AfterValue;
                }
                else if (b < 0x20)
                {
                    // A raw control character (a newline above all) inside a string: an unterminated string.
                    return StepResult.Error;
                }

                return StepResult.Continue;

            case Token.UnquotedKey:
                if (IsIdentifierPart(b))
                {
                    return StepResult.Continue;
                }

                token = Token.AfterKey;
                return StepResult.Reprocess;

            case Token.Scalar:
                if (IsScalarPart(b))
                {
                    return StepResult.Continue;
                }

                token = Token.AfterValue;
                return StepResult.Reprocess;
        }

        if (IsWhitespace(b))
        {
            return StepResult.Continue;
        }

        switch (token)
        {
            case Token.KeyOrEnd:
            case Token.KeyOrEndAfterComma:
                if (b == '}')
                {
                    Relaxed |= token == Token.KeyOrEndAfterComma;
                    return Close(array: false);
                }

                if (b is (byte)'"' or (byte)'\'')
                {
                    BeginString(b, isKey: true);
                    return StepResult.Continue;
                }

                if (IsIdentifierStart(b))
                {
                    Relaxed = true;
                    token = Token.UnquotedKey;
                    return StepResult.Continue;
                }

                return StepResult.Error;

            case Token.AfterKey:
                if (b == ':')
                {
                    token = Token.Value;
                    return StepResult.Continue;
                }

                return StepResult.Error;

            case Token.ArrayValueOrEnd:
            case Token.ArrayValueAfterComma:
                if (b == ']')
                {
                    return Close(array: true);
                }

                return BeginValue(b);

            case Token.Value:
                return BeginValue(b);

            case Token.AfterValue:
                var inArray = (arrayLevels & (1UL << depth)) != 0;
                if (b == ',')
                {
                    token = inArray ? Token.ArrayValueAfterComma : Token.KeyOrEndAfterComma;
                    return StepResult.Continue;
                }

                if (b == '}' && !inArray)
                {
                    return Close(array: false);
                }

                if (b == ']' && inArray)
                {
                    return Close(array: true);
                }

                return StepResult.Error;
        }

        return StepResult.Error;
    }

    private StepResult BeginValue(byte b)
    {
        switch (b)
        {
            case (byte)'{':
                return Open(array: false);
            case (byte)'[':
                return Open(array: true);
            case (byte)'"':
            case (byte)'\'':
                BeginString(b, isKey: false);
                return StepResult.Continue;
        }

        if (b == '-' || IsIdentifierPart(b))
        {
            token = Token.Scalar;
            return StepResult.Continue;
        }

        return StepResult.Error;
    }

    private void BeginString(byte quoteChar, bool isKey)
    {
        token = Token.InString;
        Quote = quoteChar;
        stringIsKey = isKey;
        escaped = false;
        Relaxed |= quoteChar == '\'';
    }

    private StepResult Open(bool array)
    {
        if (depth >= MaxDepth)
        {
            return StepResult.Error;
        }

        depth++;
        if (array)
        {
            arrayLevels |= 1UL << depth;
            token = Token.ArrayValueOrEnd;
        }
        else
        {
            arrayLevels &= ~(1UL << depth);
            token = Token.KeyOrEnd;
        }

        return StepResult.Continue;
    }

    private StepResult Close(bool array)
    {
        var wasArray = (arrayLevels & (1UL << depth)) != 0;
        if (wasArray != array)
        {
            return StepResult.Error;
        }

        if (token == Token.ArrayValueAfterComma)
        {
            Relaxed = true;
        }

        depth--;
        token = Token.AfterValue;
        return depth == 0 ? StepResult.Complete : StepResult.Continue;
    }

    internal static bool IsIdentifierStart(byte b) => b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or (byte)'_' or (byte)'$';

    internal static bool IsIdentifierPart(byte b) => IsIdentifierStart(b) || b is >= (byte)'0' and <= (byte)'9';

    internal static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    private static bool IsScalarPart(byte b) => IsIdentifierPart(b) || b is (byte)'-' or (byte)'+' or (byte)'.';
}
