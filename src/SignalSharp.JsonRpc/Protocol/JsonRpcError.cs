using System.Text.Json.Nodes;

namespace SignalSharp.JsonRpc.Protocol;

/// <summary>
/// An error object as signal-cli writes it: <see cref="Data"/> is written even when null, and carries
/// <c>{"response": partialResult}</c> when a command failed after producing part of its result.
/// </summary>
public sealed record JsonRpcError(int Code, string Message, JsonNode? Data = null);

/// <summary>Ends a request with a JSON-RPC error; thrown by the codec and the methods, caught by the dispatcher.</summary>
public sealed class JsonRpcException(JsonRpcError error) : Exception(error.Message)
{
    public JsonRpcException(int code, string message, JsonNode? data = null)
        : this(new JsonRpcError(code, message, data))
    {
    }

    public JsonRpcError Error { get; } = error;
}
