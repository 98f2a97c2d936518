using System.Text.Json.Nodes;
using SignalSharp.JsonRpc.Dispatch;
using SignalSharp.JsonRpc.Protocol;

namespace SignalSharp.JsonRpc.Methods;

/// <summary>
/// startLink, finishLink, register and verify: the multi-account methods that make accounts, with signal-cli's
/// parameters and results (<c>{deviceLinkUri}</c>, <c>{number}</c>, <c>{}</c>).
/// </summary>
internal sealed class ProvisioningMethods(IAccountProvisioning provisioning)
{
    public async Task<MethodResult> StartLinkAsync(JsonRpcCall call)
    {
        var uri = await provisioning.StartLinkAsync(call.CancellationToken).ConfigureAwait(false);
        return new MethodResult(new JsonObject { ["deviceLinkUri"] = uri });
    }

    public async Task<MethodResult> FinishLinkAsync(JsonRpcCall call)
    {
        var uri = call.Params.GetString("deviceLinkUri") ?? throw new JsonRpcException(JsonRpcErrorCodes.InvalidParams, "Missing deviceLinkUri parameter");
        var number = await provisioning.FinishLinkAsync(uri, call.Params.GetString("deviceName"), call.CancellationToken).ConfigureAwait(false);
        return new MethodResult(new JsonObject { ["number"] = number });
    }

    public async Task<MethodResult> RegisterAsync(JsonRpcCall call)
    {
        await provisioning.RegisterAsync(AccountOf(call), call.Params.GetBool("voice"), call.Params.GetString("captcha"), call.CancellationToken).ConfigureAwait(false);
        return new MethodResult(new JsonObject());
    }

    public async Task<MethodResult> VerifyAsync(JsonRpcCall call)
    {
        var code = call.Params.GetString("verificationCode") ?? throw new JsonRpcException(JsonRpcErrorCodes.InvalidParams, "Missing verificationCode parameter");
        await provisioning.VerifyAsync(AccountOf(call), code, call.Params.GetString("pin"), call.CancellationToken).ConfigureAwait(false);
        return new MethodResult(new JsonObject());
    }

    private static string AccountOf(JsonRpcCall call) =>
        call.Params.GetString("account") ?? throw new JsonRpcException(JsonRpcErrorCodes.InvalidParams, "Method requires valid account parameter");
}
