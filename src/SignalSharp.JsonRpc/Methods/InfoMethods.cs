using System.Text.Json;
using SignalSharp.JsonRpc.Dispatch;
using SignalSharp.JsonRpc.Json;

namespace SignalSharp.JsonRpc.Methods;

/// <summary>version and listAccounts.</summary>
/// <param name="accounts">What listAccounts names: the one account, or every account a multi-account front end serves at the time of the call.</param>
internal sealed class InfoMethods(JsonRpcOptions options, Func<IReadOnlyList<string>> accounts)
{
    public Task<MethodResult> VersionAsync(JsonRpcCall call) =>
        Task.FromResult(new MethodResult(JsonSerializer.SerializeToNode(new JsonVersion(options.Version), JsonRpcJsonContext.Default.JsonVersion)));

    public Task<MethodResult> ListAccountsAsync(JsonRpcCall call) =>
        Task.FromResult(new MethodResult(JsonSerializer.SerializeToNode<List<JsonAccount>>([.. accounts().Select(number => new JsonAccount(number))], JsonRpcJsonContext.Default.ListJsonAccount)));
}
