using SignalSharp.JsonRpc.Methods;
using SignalSharp.JsonRpc.Protocol;

namespace SignalSharp.JsonRpc.Dispatch;

/// <summary>
/// Finds the method a request runs and the accounts it addresses. With one account the request's <c>"account"</c>
/// is ignored, as signal-cli ignores it. In multi-account mode a named account must be served (else -32602
/// "Specified account does not exist"); a per-account method without one is refused with -32602 "Method requires
/// valid account parameter"; version, listAccounts, the receive subscriptions and the methods that make accounts
/// run across accounts (register and verify name the account they make, which is not served yet).
/// </summary>
internal sealed class AccountRouter
{
    private readonly Func<IReadOnlyList<ServedAccount>> accounts;
    private readonly bool multiAccount;
    private readonly IReadOnlyDictionary<string, JsonRpcMethod> acrossAccounts;

    /// <param name="accounts">The accounts served at the time of a call (a multi-account daemon serves new ones as they are made).</param>
    public AccountRouter(Func<IReadOnlyList<ServedAccount>> accounts, JsonRpcOptions shared, bool multiAccount, IAccountProvisioning? provisioning)
    {
        if (!multiAccount && accounts().Count != 1)
        {
            throw new ArgumentException("a single-account front end serves exactly one account", nameof(accounts));
        }

        this.accounts = accounts;
        this.multiAccount = multiAccount;
        acrossAccounts = MethodTable.CreateAcrossAccounts(() => [.. accounts().Select(a => a.Number)], shared, provisioning);
    }

    public JsonRpcCall Route(JsonRpcRequest request, JsonRpcParams parameters, Session.JsonRpcConnection connection, CancellationToken cancellationToken,
        out JsonRpcMethod method)
    {
        var served = accounts();
        if (!multiAccount)
        {
            method = Lookup(served[0].Methods, request.Method) ?? throw NotFound(request.Method);
            return new JsonRpcCall(parameters, connection, served, cancellationToken);
        }

        if (parameters.GetString("account") is { } number && !MethodTable.MakingAccounts.Contains(request.Method))
        {
            var named = served.FirstOrDefault(a => a.Number == number)
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
            return new JsonRpcCall(parameters, connection, served, cancellationToken) { AcrossAccounts = true };
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
