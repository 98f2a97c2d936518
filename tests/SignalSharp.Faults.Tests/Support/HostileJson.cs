using System.Globalization;
using System.Text;
using CsCheck;

namespace SignalSharp.Faults.Tests.Support;

/// <summary>
/// Generators of hostile input for the TCP protocol. <see cref="CompleteLine"/> gives one line that the daemon must
/// answer exactly once, whatever is inside: a balanced object (deep nesting, huge numbers, invalid UTF-8, NULs and
/// control bytes, lone surrogate escapes, bad escapes and literals, any field of any type) or a line of garbage.
/// </summary>
internal static class HostileJson
{
    private static readonly string[] Fields = ["command", "reqId", "recipient", "groupId", "dataMessage", "message", "attachments", "base64Data",
        "filename", "contentType", "reaction", "emoji", "author", "remove", "timestamp", "timeout", "ignoreAttachments", "x"];

    private static readonly string[] Commands = ["send_message", "send_reaction", "receive_messages", "", "SEND_MESSAGE", "nope"];

    private static readonly string[] Scalars = ["0", "-0", "1", "-1", "1e999999", "-1e-999999", "123456789012345678901234567890123456789",
        "9223372036854775808", "-9223372036854775809", "0.000000000000000000000000001", "1.5", "NaN", "Infinity", "true", "false", "null",
        "tru", "01", "1e", "-", "+1", "0x10", "1_000"];

    private static readonly string[] Escapes = ["\\\"", "\\\\", "\\/", "\\n", "\\t", "\\u0000", "\\u001f", "\\ud800", "\\udc00", "\\udbff\\udfff",
        "\\ud800\\u0041", "\\uDFFF\\uD800", "\\u12G4", "\\x", "\\'", "\\u00e9", "😀"];

    /// <summary>One line ('\n' excluded) that must get exactly one answer.</summary>
    public static Gen<byte[]> CompleteLine =>
        Gen.Frequency((6, Gen.Int.Select(seed => Object(new Random(seed)))), (1, Garbage));

    /// <summary>A line that starts with a byte no object can start with: answered INVALID_JSON once, whatever follows.</summary>
    private static Gen<byte[]> Garbage =>
        Gen.Select(Gen.Int[0, GarbageStarts.Length - 1], Gen.Byte.Array[0, 200])
            .Select((first, rest) => rest.Where(b => b != '\n').Prepend(GarbageStarts[first]).ToArray());

    private static readonly byte[] GarbageStarts = "x}]\u0000\"1"u8.ToArray().Append((byte)0xFF).ToArray();

    private static byte[] Object(Random random)
    {
        var output = new List<byte>();
        var depth = random.Next(4) == 0 ? random.Next(1, 70) : 1;
        for (var i = 0; i < depth - 1; i++)
        {
            Append(output, "{\"x\":");
        }

        WriteObject(output, random, depth < 3 ? 3 : 1);
        for (var i = 0; i < depth - 1; i++)
        {
            output.Add((byte)'}');
        }

        return output.ToArray();
    }

    private static void WriteObject(List<byte> output, Random random, int nesting)
    {
        output.Add((byte)'{');
        var fields = random.Next(0, 6);
        for (var i = 0; i < fields; i++)
        {
            if (i > 0)
            {
                output.Add((byte)',');
            }

            var name = Fields[random.Next(Fields.Length)];
            switch (random.Next(3))
            {
                case 0:
                    Append(output, name);
                    break;
                case 1:
                    Append(output, $"'{name}'");
                    break;
                default:
                    WriteString(output, random, name);
                    break;
            }

            output.Add((byte)':');
            WriteValue(output, random, nesting, name);
        }

        if (random.Next(8) == 0)
        {
            output.Add((byte)',');
        }

        output.Add((byte)'}');
    }

    private static void WriteValue(List<byte> output, Random random, int nesting, string field)
    {
        switch (random.Next(nesting > 0 ? 6 : 4))
        {
            case 0:
                Append(output, Scalars[random.Next(Scalars.Length)]);
                break;
            case 1 when field == "command":
                WriteString(output, random, Commands[random.Next(Commands.Length)]);
                break;
            case 1:
            case 2:
                WriteString(output, random, null);
                break;
            case 3:
                Append(output, random.NextInt64().ToString(CultureInfo.InvariantCulture));
                break;
            case 4:
                WriteObject(output, random, nesting - 1);
                break;
            default:
                output.Add((byte)'[');
                var count = random.Next(0, 4);
                for (var i = 0; i < count; i++)
                {
                    if (i > 0)
                    {
                        output.Add((byte)',');
                    }

                    WriteValue(output, random, nesting - 1, "");
                }

                output.Add((byte)']');
                break;
        }
    }

    /// <summary>A closed string: random text, escapes valid and not, raw bytes (never a quote, backslash or newline).</summary>
    private static void WriteString(List<byte> output, Random random, string? text)
    {
        output.Add((byte)'"');
        if (text is not null && random.Next(3) > 0)
        {
            Append(output, text);
        }
        else
        {
            var parts = random.Next(0, 8);
            for (var i = 0; i < parts; i++)
            {
                switch (random.Next(4))
                {
                    case 0:
                        Append(output, Escapes[random.Next(Escapes.Length)]);
                        break;
                    case 1:
                        var raw = (byte)random.Next(256);
                        if (raw is not ((byte)'"' or (byte)'\\' or (byte)'\n'))
                        {
                            output.Add(raw);
                        }

                        break;
                    default:
                        Append(output, text ?? "hi");
                        break;
                }
            }
        }

        output.Add((byte)'"');
    }

    private static void Append(List<byte> output, string text) => output.AddRange(Encoding.UTF8.GetBytes(text));
}
