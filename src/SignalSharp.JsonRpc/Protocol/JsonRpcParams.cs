using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SignalSharp.JsonRpc.Protocol;

/// <summary>
/// A request's named parameters read the way signal-cli reads them: each name is looked up by its command-line
/// form first ("group-id") and then camelCase ("groupId"); a list also by its plural ("recipients"), and a single
/// value stands for a one-element list; <c>null</c> is the same as absent; unknown names are ignored.
/// </summary>
public sealed class JsonRpcParams
{
    private readonly JsonObject? values;

    public JsonRpcParams(JsonNode? parameters)
    {
        values = parameters as JsonObject;
        Positional = parameters as JsonArray;
    }

    public static JsonRpcParams None { get; } = new(null);

    /// <summary>The params when the client sent them as an array (only unsubscribeReceive reads that form).</summary>
    public JsonArray? Positional { get; }

    /// <summary>True when the parameter is given with a value other than null, false, 0 or an empty string or list.</summary>
    public bool IsSet(string name)
    {
        return Find(name, plural: true) switch
        {
            null => false,
            JsonArray array => array.Count > 0,
            JsonValue value => value.GetValueKind() switch
            {
                JsonValueKind.False => false,
                JsonValueKind.String => value.GetValue<string>().Length > 0,
                JsonValueKind.Number => value.ToJsonString() != "0",
                _ => true,
            },
            _ => true,
        };
    }

    /// <summary>True when the parameter is given with any value but null (false and 0 count: they are a choice).</summary>
    public bool Has(string name) => Find(name, plural: false) is not null;

    public string? GetString(string name)
    {
        var node = Find(name, plural: false);
        return node is null ? null : AsText(node, name);
    }

    public IReadOnlyList<string> GetStringList(string singularName)
    {
        return Find(singularName, plural: true) switch
        {
            null => [],
            JsonArray array => [.. array.Where(item => item is not null).Select(item => AsText(item!, singularName))],
            var single => [AsText(single, singularName)],
        };
    }

    public long? GetLong(string name)
    {
        var node = Find(name, plural: false);
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value)
        {
            switch (value.GetValueKind())
            {
                case JsonValueKind.Number when value.TryGetValue(out long number):
                    return number;
                case JsonValueKind.Number when value.TryGetValue(out double real) && real is >= long.MinValue and <= long.MaxValue:
                    return (long)real;
                case JsonValueKind.String when long.TryParse(value.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed):
                    return parsed;
            }
        }

        throw Invalid(name, "a number");
    }

    public double? GetDouble(string name)
    {
        var node = Find(name, plural: false);
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value)
        {
            switch (value.GetValueKind())
            {
                case JsonValueKind.Number:
                    return value.GetValue<double>();
                case JsonValueKind.String when double.TryParse(value.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed):
                    return parsed;
            }
        }

        throw Invalid(name, "a number");
    }

    public bool GetBool(string name)
    {
        var node = Find(name, plural: false);
        if (node is null)
        {
            return false;
        }

        if (node is JsonValue value)
        {
            switch (value.GetValueKind())
            {
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False:
                    return false;
                case JsonValueKind.String when bool.TryParse(value.GetValue<string>(), out var parsed):
                    return parsed;
            }
        }

        throw Invalid(name, "true or false");
    }

    /// <summary>"groupId" → "group-id": the name of the command-line option the parameter comes from.</summary>
    public static string Dashed(string camelName)
    {
        var builder = new StringBuilder(camelName.Length + 4);
        foreach (var c in camelName)
        {
            if (char.IsAsciiLetterUpper(c))
            {
                builder.Append('-').Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private JsonNode? Find(string camelName, bool plural)
    {
        if (values is null)
        {
            return null;
        }

        var dashed = Dashed(camelName);
        return Lookup(dashed) ?? Lookup(camelName) ?? (plural ? Lookup(dashed + "s") ?? Lookup(camelName + "s") : null);
    }

    private JsonNode? Lookup(string key) => values!.TryGetPropertyValue(key, out var node) ? node : null;

    private static string AsText(JsonNode node, string name) => node switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value when value.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.ToJsonString(),
        _ => throw Invalid(name, "a string"),
    };

    private static JsonRpcException Invalid(string name, string expected) =>
        new(JsonRpcErrorCodes.InvalidParams, $"Invalid value for parameter {name}: expected {expected}");
}
