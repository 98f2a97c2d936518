using System.Text.Json.Nodes;

namespace SignalSharp.JsonRpc.Protocol;

/// <summary>An answer to one request: a result or an error, and the request's id (null when it could not be read).</summary>
public sealed record JsonRpcResponse(JsonNode? Id, JsonNode? Result, JsonRpcError? Error)
{
    public static JsonRpcResponse Success(JsonNode? id, JsonNode? result) => new(id, result, null);

    public static JsonRpcResponse Failure(JsonNode? id, JsonRpcError error) => new(id, null, error);
}
