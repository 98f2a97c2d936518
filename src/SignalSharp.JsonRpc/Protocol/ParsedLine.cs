using System.Text.Json.Nodes;

namespace SignalSharp.JsonRpc.Protocol;

/// <summary>What one input line turned out to be.</summary>
public abstract record ParsedLine;

/// <summary>A single well-formed request.</summary>
public sealed record SingleRequestLine(JsonRpcRequest Request) : ParsedLine;

/// <summary>A non-empty array: each element is answered on its own, the answers go back as one array.</summary>
public sealed record BatchLine(IReadOnlyList<JsonNode?> Elements) : ParsedLine;

/// <summary>A line that gets an error answer right away (bad JSON, not a request); <see cref="Id"/> as far as known.</summary>
public sealed record RejectedLine(JsonRpcError Error, bool HasId, JsonNode? Id) : ParsedLine;

/// <summary>A response object sent by the client (it has "result" or "error"): signal-cli drops these.</summary>
public sealed record ClientResponseLine : ParsedLine;
