using System.Text.Json.Nodes;

namespace SignalSharp.JsonRpc.Protocol;

/// <summary>
/// One parsed request. <see cref="HasId"/> false makes it a notification that gets no answer; an explicit
/// <c>"id":null</c> is an id (answered with <c>"id":null</c>), as signal-cli does.
/// <see cref="Params"/> is an object, an array, or null when absent (a <c>null</c> params is absent).
/// </summary>
public sealed record JsonRpcRequest(string Method, JsonNode? Params, bool HasId, JsonNode? Id);
