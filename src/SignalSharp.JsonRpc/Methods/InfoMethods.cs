using System.Text.Json;
using SignalSharp.JsonRpc.Dispatch;
using SignalSharp.JsonRpc.Json;

namespace SignalSharp.JsonRpc.Methods;

/// <summary>version and listAccounts.</summary>
internal sealed class InfoMethods(JsonRpcOptions options)
{
    public Task<MethodResult> VersionAsync(JsonRpcCall call) =>
        Task.FromResult(new MethodResult(JsonSerializer.SerializeToNode(new JsonVersion(options.Version), JsonRpcJsonContext.Default.JsonVersion)));

    public Task<MethodResult> ListAccountsAsync(JsonRpcCall call) =>
        Task.FromResult(new MethodResult(JsonSerializer.SerializeToNode<List<JsonAccount>>([new JsonAccount(options.Account)], JsonRpcJsonContext.Default.ListJsonAccount)));
}
