using System.Text.Json;
using System.Text.Json.Nodes;

namespace SignalSharp.JsonRpc.Protocol;

/// <summary>Turns one line of input into requests or an immediate error, with signal-cli's codes and texts.</summary>
public static class JsonRpcMessageParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public static ParsedLine ParseLine(ReadOnlySpan<byte> line)
    {
        if (IsBlank(line))
        {
            return new RejectedLine(new JsonRpcError(JsonRpcErrorCodes.ParseError, "Empty input line"), false, null);
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(line, documentOptions: DocumentOptions);
            if (node is JsonObject parsedObject)
            {
                // Materialises the properties now, so that a duplicate key fails here and not inside a method.
                _ = parsedObject.Count;
            }
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return new RejectedLine(new JsonRpcError(JsonRpcErrorCodes.ParseError, e.Message), false, null);
        }

        return Classify(node);
    }

    /// <summary>Reads one batch element (or a single object) as a request.</summary>
    public static JsonRpcRequest ParseRequest(JsonNode? node)
    {
        if (node is not JsonObject request)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.InvalidRequest, "invalid request");
        }

        var hasId = request.TryGetPropertyValue("id", out var id);
        if (id is JsonObject or JsonArray)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.InvalidRequest, "id must be a string, a number or null");
        }

        request.TryGetPropertyValue("params", out var parameters);
        if (parameters is not null and not JsonObject and not JsonArray)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.InvalidRequest, "params must be an object or an array");
        }

        if (!request.TryGetPropertyValue("jsonrpc", out var version) || !IsString(version, out var versionText) || versionText != "2.0")
        {
            throw new JsonRpcException(JsonRpcErrorCodes.InvalidRequest, "only jsonrpc version 2.0 is supported");
        }

        if (!request.TryGetPropertyValue("method", out var method) || !IsString(method, out var methodName))
        {
            throw new JsonRpcException(JsonRpcErrorCodes.InvalidRequest, "method field must be set");
        }

        return new JsonRpcRequest(methodName, parameters, hasId, id);
    }

    /// <summary>The id of a request that failed to parse, when it has a usable one.</summary>
    public static (bool HasId, JsonNode? Id) IdOf(JsonNode? node) =>
        node is JsonObject request && request.TryGetPropertyValue("id", out var id) && id is null or JsonValue
            ? (true, id)
            : (false, null);

    private static ParsedLine Classify(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray { Count: 0 }:
                return new RejectedLine(new JsonRpcError(JsonRpcErrorCodes.InvalidRequest, "invalid request"), false, null);
            case JsonArray array:
                return new BatchLine([.. array]);
            case JsonObject request when request.ContainsKey("result") || request.ContainsKey("error"):
                return new ClientResponseLine();
            case JsonObject request:
                try
                {
                    return new SingleRequestLine(ParseRequest(request));
                }
                catch (JsonRpcException e)
                {
                    var (hasId, id) = IdOf(request);
                    return new RejectedLine(e.Error, hasId, id);
                }

            default:
                return new RejectedLine(
                    new JsonRpcError(JsonRpcErrorCodes.InvalidRequest, "unexpected type: " + TypeName(node)), false, null);
        }
    }

    private static string TypeName(JsonNode? node) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "NULL",
        JsonValueKind.String => "STRING",
        JsonValueKind.Number => "NUMBER",
        JsonValueKind.True or JsonValueKind.False => "BOOLEAN",
        var other => other.ToString()!.ToUpperInvariant(),
    };

    private static bool IsString(JsonNode? node, out string text)
    {
        text = "";
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            text = value.GetValue<string>();
            return true;
        }

        return false;
    }

    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (var b in line)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }
}
