using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using SignalSharp.Daemon.Framing;
using SignalSharp.Daemon.Json;

namespace SignalSharp.Daemon.Tests.Json;

/// <summary>
/// Any object written in a random mix of the relaxed forms (unquoted names, single quotes, trailing commas) is
/// framed as one command and rewritten to strict JSON that parses to the same value.
/// </summary>
public sealed class RelaxedJsonPropertyTests
{
    private const string Alphabet = "abc XYZ_$019'\"\\/\n\t{}[]:,é中😀";

    [Fact]
    public void Relaxed_renderings_parse_to_the_same_value()
    {
        Gen.Int.Sample(seed =>
        {
            var random = new Random(seed);
            var value = RandomObject(random, depth: 0);
            var relaxed = Encoding.UTF8.GetBytes(RenderRelaxed(value, random));

            var framer = new CommandFramer(1 << 20);
            relaxed.CopyTo(framer.GetReceiveBuffer(relaxed.Length).Span);
            framer.Advance(relaxed.Length);
            Assert.Equal(FrameKind.Command, framer.TryRead(out var command, out var error));
            Assert.Equal(relaxed.Length, command.Length);

            var strict = new ArrayBufferWriter<byte>();
            RelaxedJson.ToStrict(command.Span, strict);
            using var parsed = JsonDocument.Parse(strict.WrittenMemory, new JsonDocumentOptions { AllowTrailingCommas = true });
            using var expected = JsonDocument.Parse(value.ToJsonString());
            Assert.True(JsonElement.DeepEquals(expected.RootElement, parsed.RootElement),
                $"{Encoding.UTF8.GetString(relaxed)}\n→ {Encoding.UTF8.GetString(strict.WrittenSpan)}\n≠ {value.ToJsonString()}");
        }, iter: 2000);
    }

    private static JsonObject RandomObject(Random random, int depth)
    {
        var obj = new JsonObject();
        var count = random.Next(0, 5);
        for (var i = 0; i < count; i++)
        {
            obj[RandomKey(random) + i.ToString(CultureInfo.InvariantCulture)] = RandomValue(random, depth + 1);
        }

        return obj;
    }

    private static JsonNode? RandomValue(Random random, int depth) => random.Next(depth > 3 ? 5 : 7) switch
    {
        0 => JsonValue.Create(RandomString(random)),
        1 => JsonValue.Create(random.Next(-1000, 1000) * Math.Pow(10, random.Next(-3, 3))),
        2 => JsonValue.Create(random.Next(2) == 0),
        3 => null,
        4 => JsonValue.Create(random.NextInt64()),
        5 => RandomObject(random, depth),
        _ => new JsonArray(Enumerable.Range(0, random.Next(0, 4)).Select(_ => RandomValue(random, depth + 1)).ToArray()),
    };

    private static string RandomKey(Random random) =>
        random.Next(3) == 0 ? RandomString(random) : new string(Enumerable.Range(0, random.Next(1, 8)).Select(_ => "abcxyzQ_$"[random.Next(9)]).ToArray());

    private static string RandomString(Random random)
    {
        var builder = new StringBuilder();
        var runes = Alphabet.EnumerateRunes().ToArray();
        for (var i = random.Next(0, 10); i > 0; i--)
        {
            builder.Append(runes[random.Next(runes.Length)].ToString());
        }

        return builder.ToString();
    }

    private static string RenderRelaxed(JsonNode? node, Random random)
    {
        switch (node)
        {
            case JsonObject obj:
            {
                var parts = obj.Select(p => $"{RenderKey(p.Key, random)}{Space(random)}:{Space(random)}{RenderRelaxed(p.Value, random)}").ToList();
                return "{" + Space(random) + string.Join("," + Space(random), parts) + (parts.Count > 0 && random.Next(3) == 0 ? "," : "") + Space(random) + "}";
            }

            case JsonArray array:
            {
                var parts = array.Select(v => RenderRelaxed(v, random)).ToList();
                return "[" + string.Join("," + Space(random), parts) + (parts.Count > 0 && random.Next(3) == 0 ? "," : "") + "]";
            }

            case null:
                return "null";

            default:
                var value = node.AsValue();
                return value.TryGetValue<string>(out var text) ? RenderString(text, random) : value.ToJsonString();
        }
    }

    private static string RenderKey(string key, Random random)
    {
        var identifier = key.Length > 0 && RelaxedJsonSyntax.IsIdentifierStart((byte)key[0]) && key.All(c => c < 128 && RelaxedJsonSyntax.IsIdentifierPart((byte)c));
        return identifier && random.Next(2) == 0 ? key : RenderString(key, random);
    }

    private static string RenderString(string text, Random random)
    {
        if (random.Next(2) == 0)
        {
            return JsonValue.Create(text).ToJsonString();
        }

        var builder = new StringBuilder("'");
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '\'' => "\\'",
                '\\' => "\\\\",
                < ' ' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return builder.Append('\'').ToString();
    }

    private static string Space(Random random) => random.Next(4) switch
    {
        0 => " ",
        1 => "\n  ",
        2 => "\r\n\t",
        _ => "",
    };
}
