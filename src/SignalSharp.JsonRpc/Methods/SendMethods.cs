using System.Text.Json;
using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Dispatch;
using SignalSharp.JsonRpc.Json;
using SignalSharp.JsonRpc.Protocol;

namespace SignalSharp.JsonRpc.Methods;

/// <summary>send and sendReaction, answered with signal-cli's <c>{timestamp, results}</c>.</summary>
internal sealed class SendMethods(ISignalAccount account)
{
    /// <summary>send options the account cannot honour yet: refused rather than silently dropped.</summary>
    private static readonly string[] UnsupportedSendOptions =
    [
        "quoteTimestamp", "sticker", "mention", "textStyle", "previewUrl", "editTimestamp", "storyTimestamp",
        "viewOnce", "endSession", "noteToSelf", "expiresInSeconds", "pollQuestion",
    ];

    public async Task<MethodResult> SendAsync(JsonRpcCall call)
    {
        var parameters = call.Params;
        RefuseUnsupported(parameters, UnsupportedSendOptions);
        var target = TargetParser.SingleTarget(parameters);
        var text = parameters.GetString("message");
        var attachments = await AttachmentLoader.LoadAsync(parameters.GetStringList("attachment"), call.CancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(text) && attachments.Count == 0)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.UserError, "No message given");
        }

        var message = new OutgoingMessage(string.IsNullOrEmpty(text) ? null : text, attachments);
        return await SendAndReportAsync(target, ct => account.SendMessageAsync(target, message, ct), call.CancellationToken).ConfigureAwait(false);
    }

    public async Task<MethodResult> SendReactionAsync(JsonRpcCall call)
    {
        var parameters = call.Params;
        var target = TargetParser.SingleTarget(parameters);
        var emoji = parameters.GetString("emoji") ?? throw Missing("emoji");
        var author = TargetParser.Recipient(parameters.GetString("targetAuthor") ?? throw Missing("targetAuthor"));
        var timestamp = parameters.GetLong("targetTimestamp") ?? throw Missing("targetTimestamp");
        var reaction = new OutgoingReaction(emoji, author, timestamp, parameters.GetBool("remove"));
        return await SendAndReportAsync(target, ct => account.SendReactionAsync(target, reaction, ct), call.CancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the send and reports it per recipient as signal-cli does: a recipient who is no Signal user is a result
    /// of type UNREGISTERED_FAILURE, not an error.
    /// </summary>
    private static async Task<MethodResult> SendAndReportAsync(MessageTarget target, Func<CancellationToken, Task<SendResult>> send, CancellationToken cancellationToken)
    {
        long timestamp;
        string type;
        try
        {
            timestamp = (await send(cancellationToken).ConfigureAwait(false)).Timestamp;
            type = SendResultTypes.Success;
        }
        catch (UnknownRecipientException) when (target is RecipientTarget)
        {
            timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            type = SendResultTypes.UnregisteredFailure;
        }

        // The account reports no per-member outcome for a group yet, so a group send lists none.
        IReadOnlyList<JsonSendMessageResult> results = target is RecipientTarget recipient
            ? [new JsonSendMessageResult(Address(recipient.Recipient), null, type)]
            : [];
        return new MethodResult(JsonSerializer.SerializeToNode(new JsonSendResponse(timestamp, results), JsonRpcJsonContext.Default.JsonSendResponse));
    }

    private static JsonRecipientAddress Address(RecipientAddress recipient) => recipient.Kind == RecipientKind.PhoneNumber
        ? new JsonRecipientAddress(null, recipient.Value)
        : new JsonRecipientAddress(recipient.Value, null);

    private static void RefuseUnsupported(JsonRpcParams parameters, IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            if (parameters.IsSet(name))
            {
                throw new JsonRpcException(JsonRpcErrorCodes.UserError, $"The send option {name} is not supported by SignalSharp yet");
            }
        }
    }

    private static JsonRpcException Missing(string name) =>
        new(JsonRpcErrorCodes.InvalidParams, $"Missing parameter {name}");
}
