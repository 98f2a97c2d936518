using System.Text.Json;
using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Dispatch;
using SignalSharp.JsonRpc.Json;
using SignalSharp.JsonRpc.Protocol;

namespace SignalSharp.JsonRpc.Methods;

/// <summary>receive (polling), subscribeReceive and unsubscribeReceive.</summary>
internal sealed class ReceiveMethods(ISignalAccount account, JsonRpcOptions options)
{
    private readonly AttachmentStore attachments = new(options.AttachmentDirectory);

    private const double DefaultTimeoutSeconds = 3.0;
    private const double LongestTimeoutSeconds = 3600.0;

    public async Task<MethodResult> ReceiveAsync(JsonRpcCall call)
    {
        // As in signal-cli: outside manual mode the daemon itself receives, on every channel (HTTP included).
        if (options.ReceiveMode != ReceiveMode.Manual || call.Connection.ReceivesAutomatically)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.UserError, "Receive command cannot be used if messages are already being received.");
        }

        var seconds = call.Params.GetDouble("timeout") ?? DefaultTimeoutSeconds;
        var timeout = TimeSpan.FromSeconds(seconds < 0 ? LongestTimeoutSeconds : Math.Min(seconds, LongestTimeoutSeconds));
        var batch = await account.ReceiveAsync(new ReceiveRequest(timeout, options.IgnoreAttachments), call.CancellationToken).ConfigureAwait(false);
        try
        {
            var payloads = batch.Items.Select(item => EnvelopeMapper.ToPayload(item, options.Account, attachments.SaverFor(item))).ToList();
            return new MethodResult(JsonSerializer.SerializeToNode(payloads, JsonRpcJsonContext.Default.ListJsonReceivePayload), batch);
        }
        catch
        {
            await batch.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>getAttachment {id}: a received attachment's bytes as signal-cli's <c>{data}</c> (base64).</summary>
    public async Task<MethodResult> GetAttachmentAsync(JsonRpcCall call)
    {
        var id = call.Params.GetString("id") ?? throw new JsonRpcException(JsonRpcErrorCodes.UserError, "Missing attachment id parameter");
        var data = await attachments.ReadAsync(id, call.CancellationToken).ConfigureAwait(false);
        return new MethodResult(new JsonObject { ["data"] = Convert.ToBase64String(data) });
    }

    public static Task<MethodResult> SubscribeAsync(JsonRpcCall call)
    {
        if (!call.Connection.Streaming)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.MethodNotFound, "Method not implemented");
        }

        var (id, opening) = call.Connection.SubscribeDeferred(call.AcrossAccounts ? null : call.Scope);
        return Task.FromResult(new MethodResult(JsonValue.Create(id), opening));
    }

    public static async Task<MethodResult> UnsubscribeAsync(JsonRpcCall call)
    {
        if (!call.Connection.Streaming)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.MethodNotFound, "Method not implemented");
        }

        var id = call.Params.Positional is { Count: > 0 } positional
            ? SubscriptionId(positional[0])
            : call.Params.GetLong("subscription") is { } named ? (int)named : (int?)null;
        if (id is null && call.AcrossAccounts)
        {
            // Which account's first subscription would be meant is not said: signal-cli refuses the same way.
            throw new JsonRpcException(JsonRpcErrorCodes.UserError, "Missing subscription parameter with subscription id");
        }

        if (!await call.Connection.UnsubscribeAsync(id).ConfigureAwait(false))
        {
            throw new JsonRpcException(JsonRpcErrorCodes.UserError, "Unknown subscription id");
        }

        return MethodResult.Empty;
    }

    private static int SubscriptionId(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue(out int id)
            ? id
            : throw new JsonRpcException(JsonRpcErrorCodes.InvalidParams, "subscription id must be an integer");
}
