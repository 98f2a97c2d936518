using SignalSharp.JsonRpc.Methods;
using SignalSharp.JsonRpc.Protocol;

namespace SignalSharp.JsonRpc.Dispatch;

/// <summary>
/// Finds the method a request runs and the accounts it addresses. With one account the request's <c>"account"</c>
/// is ignored, as signal-cli ignores it. In multi-account mode a named account must be served (else -32602
/// "Specified account does not exist"); a per-account method without one is refused with -32602 "Method requires
/// valid account parameter"; version, listAccounts and the receive subscriptions run across accounts.
/// </summary>
internal sealed class AccountRouter
{
    private readonly IReadOnlyList<ServedAccount> accounts;
    private readonly bool multiAccount;
    private readonly IReadOnlyDictionary<string, JsonRpcMethod> acrossAccounts;

    public AccountRouter(IReadOnlyList<ServedAccount> accounts, JsonRpcOptions shared, bool multiAccount)
    {
        if (!multiAccount && accounts.Count != 1)
        {
            throw new ArgumentException("a single-account front end serves exactly one account", nameof(accounts));
        }

        this.accounts = accounts;
        this.multiAccount = multiAccount;
        acrossAccounts = MethodTable.CreateAcrossAccounts([.. accounts.Select(a => a.Number)], shared);
    }

    public JsonRpcCall Route(JsonRpcRequest request, JsonRpcParams parameters, Session.JsonRpcConnection connection, CancellationToken cancellationToken,
        out JsonRpcMethod method)
    {
        if (!multiAccount)
        {
            method = Lookup(accounts[0].Methods, request.Method) ?? throw NotFound(request.Method);
            return new JsonRpcCall(parameters, connection, accounts, cancellationToken);
        }

        if (parameters.GetString("account") is { } number)
        {
            var named = accounts.FirstOrDefault(a => a.Number == number)
                ?? throw new JsonRpcException(JsonRpcErrorCodes.InvalidParams, "Specified account does not exist");
            if (Lookup(named.Methods, request.Method) is { } perAccount)
            {
                method = perAccount;
                return new JsonRpcCall(parameters, connection, [named], cancellationToken);
            }
        }

        if (Lookup(acrossAccounts, request.Method) is { } across)
        {
            method = across;
            return new JsonRpcCall(parameters, connection, accounts, cancellationToken) { AcrossAccounts = true };
        }

        // Every served account has the same table; with none served, a known method still needs an account.
        if (MethodTable.Names.Contains(request.Method))
        {
            throw new JsonRpcException(JsonRpcErrorCodes.InvalidParams, "Method requires valid account parameter");
        }

        throw NotFound(request.Method);
    }

    private static JsonRpcMethod? Lookup(IReadOnlyDictionary<string, JsonRpcMethod> table, string name) => table.GetValueOrDefault(name);

    private static JsonRpcException NotFound(string method) =>
        new(JsonRpcErrorCodes.MethodNotFound, SignalCliMethodNames.All.Contains(method)
            ? $"Method not implemented: {method} is not supported by SignalSharp yet"
            : "Method not implemented");
}
