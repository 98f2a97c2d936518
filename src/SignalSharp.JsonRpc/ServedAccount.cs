using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Dispatch;
using SignalSharp.JsonRpc.Methods;

namespace SignalSharp.JsonRpc;

/// <summary>One account behind a front end: the account, how it is served, and its method table.</summary>
public sealed class ServedAccount
{
    public ServedAccount(ISignalAccount account, JsonRpcOptions options)
    {
        Account = account;
        Options = options;
        Methods = MethodTable.Create(account, options);
    }

    public ISignalAccount Account { get; }

    public JsonRpcOptions Options { get; }

    /// <summary>The account's phone number, as requests name it in <c>"account"</c>.</summary>
    public string Number => Options.Account;

    internal IReadOnlyDictionary<string, JsonRpcMethod> Methods { get; }
}
