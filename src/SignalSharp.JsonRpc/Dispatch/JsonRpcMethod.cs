using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Protocol;
using SignalSharp.JsonRpc.Session;

namespace SignalSharp.JsonRpc.Dispatch;

/// <summary>
/// One call of a method: its params, the connection it came on, the accounts it addresses (the one account, or in
/// multi-account mode the one it names, or all of them for a method that runs across accounts), and the request's
/// cancellation.
/// </summary>
public sealed record JsonRpcCall(JsonRpcParams Params, JsonRpcConnection Connection, IReadOnlyList<ServedAccount> Scope, CancellationToken CancellationToken)
{
    /// <summary>True for a multi-account call that named no account.</summary>
    public bool AcrossAccounts { get; init; }
}

/// <summary>
/// What a method produced. <see cref="Lease"/> holds received items carried in <see cref="Value"/>: it is confirmed
/// once the answer was written to the client, and put back otherwise.
/// </summary>
public sealed record MethodResult(JsonNode? Value, ReceivedBatch? Lease = null)
{
    /// <summary>No output: answered as <c>{}</c>.</summary>
    public static MethodResult Empty { get; } = new((JsonNode?)null);
}

public delegate Task<MethodResult> JsonRpcMethod(JsonRpcCall call);
