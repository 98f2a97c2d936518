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
        "storyTimestamp", "endSession", "noteToSelf", "expiresInSeconds", "pollQuestion",
        "quoteMention", "quoteTextStyle", "quoteAttachment",
    ];

    public async Task<MethodResult> SendAsync(JsonRpcCall call)
    {
        var parameters = call.Params;
        RefuseUnsupported(parameters, UnsupportedSendOptions);
        var targets = TargetParser.Targets(parameters);
        var text = parameters.GetString("message");
        var attachments = await AttachmentLoader.LoadAsync(parameters.GetStringList("attachment"), call.CancellationToken).ConfigureAwait(false);
        var sticker = parameters.GetString("sticker") is { } stickerText ? StickerMethods.ParseSticker(stickerText) : null;
        if (string.IsNullOrEmpty(text) && attachments.Count == 0 && sticker is null)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.UserError, "No message given");
        }

        // One timestamp for every recipient: it is the message's id, the one a reaction or a quote names.
        var timestamp = Now();
        var message = SendOptionsParser.Apply(parameters,
            new OutgoingMessage(string.IsNullOrEmpty(text) ? null : text, attachments) { Timestamp = timestamp, Sticker = sticker });
        if (parameters.GetString("previewUrl") is { } url)
        {
            var image = await AttachmentLoader.LoadAsync(parameters.GetStringList("previewImage"), call.CancellationToken).ConfigureAwait(false);
            message = message with
            {
                Preview = new OutgoingPreview(url, parameters.GetString("previewTitle"), parameters.GetString("previewDescription"), image.Count > 0 ? image[0] : null),
            };
        }

        return await SendAndReportAsync(targets, timestamp, (target, ct) => account.SendMessageAsync(target, message, ct), call.CancellationToken)
            .ConfigureAwait(false);
    }

    public async Task<MethodResult> SendReactionAsync(JsonRpcCall call)
    {
        var parameters = call.Params;
        var targets = TargetParser.Targets(parameters);
        var emoji = parameters.GetString("emoji") ?? throw Missing("emoji");
        var author = TargetParser.Recipient(parameters.GetString("targetAuthor") ?? throw Missing("targetAuthor"));
        var timestamp = parameters.GetLong("targetTimestamp") ?? throw Missing("targetTimestamp");
        var reaction = new OutgoingReaction(emoji, author, timestamp, parameters.GetBool("remove")) { Timestamp = Now() };
        return await SendAndReportAsync(targets, reaction.Timestamp.Value, (target, ct) => account.SendReactionAsync(target, reaction, ct), call.CancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Sends to every target and reports each recipient as signal-cli does. When nobody was reached the partial result
    /// goes into the error's data: -4 when only untrusted identities failed, -5 when only rate limits did, -1 otherwise.
    /// </summary>
    internal static async Task<MethodResult> SendAndReportAsync(IReadOnlyList<MessageTarget> targets, long timestamp,
        Func<MessageTarget, CancellationToken, Task<SendResult>> send, CancellationToken cancellationToken)
    {
        // The answer names the timestamp the account reports for what it sent (the one asked for, when it honours it).
        long? sentTimestamp = null;
        async Task<SendResult> SendAndNoteAsync(MessageTarget target, CancellationToken ct)
        {
            var sent = await send(target, ct).ConfigureAwait(false);
            sentTimestamp ??= sent.Timestamp;
            return sent;
        }

        var results = new List<JsonSendMessageResult>();
        foreach (var target in targets)
        {
            results.AddRange(await SendOneAsync(target, SendAndNoteAsync, cancellationToken).ConfigureAwait(false));
        }

        var answer = JsonSerializer.SerializeToNode(new JsonSendResponse(sentTimestamp ?? timestamp, results), JsonRpcJsonContext.Default.JsonSendResponse);
        if (results.Count > 0 && results.All(r => r.Type != SendResultTypes.Success))
        {
            var data = new JsonObject { ["response"] = answer };
            throw results.All(r => r.Type == SendResultTypes.IdentityFailure)
                ? new JsonRpcException(JsonRpcErrorCodes.UntrustedKey, "Failed to send message due to untrusted identities", data)
                : results.All(r => r.Type == SendResultTypes.RateLimitFailure)
                    ? new JsonRpcException(JsonRpcErrorCodes.RateLimit, "Failed to send message due to rate limiting", data)
                    : new JsonRpcException(JsonRpcErrorCodes.UserError, "Failed to send message", data);
        }

        return new MethodResult(answer);
    }

    private static async Task<IReadOnlyList<JsonSendMessageResult>> SendOneAsync(MessageTarget target,
        Func<MessageTarget, CancellationToken, Task<SendResult>> send, CancellationToken cancellationToken)
    {
        if (target is GroupTarget group)
        {
            // A group's own failures (unknown, not a member) are errors; its members' outcomes are results.
            var sent = await send(target, cancellationToken).ConfigureAwait(false);
            return [.. (sent.Results ?? []).Select(r => MemberResult(r, group.GroupId))];
        }

        var recipient = ((RecipientTarget)target).Recipient;
        var (type, token) = await RecipientOutcomeAsync(target, send, cancellationToken).ConfigureAwait(false);
        return [new JsonSendMessageResult(Address(recipient), null, type, token)];
    }

    private static async Task<(string Type, string? Token)> RecipientOutcomeAsync(MessageTarget target,
        Func<MessageTarget, CancellationToken, Task<SendResult>> send, CancellationToken cancellationToken)
    {
        try
        {
            await send(target, cancellationToken).ConfigureAwait(false);
            return (SendResultTypes.Success, null);
        }
        catch (UnknownRecipientException)
        {
            return (SendResultTypes.UnregisteredFailure, null);
        }
        catch (UntrustedIdentityKeyException)
        {
            return (SendResultTypes.IdentityFailure, null);
        }
        catch (SendFailedException e) when (e.RateLimitChallengeToken is { } token)
        {
            return (SendResultTypes.RateLimitFailure, token);
        }
        catch (SendFailedException)
        {
            return (SendResultTypes.NetworkFailure, null);
        }
    }

    internal static JsonSendMessageResult MemberResult(RecipientSendResult result, GroupId groupId)
    {
        var type = result.Success ? SendResultTypes.Success
            : result.UntrustedIdentity ? SendResultTypes.IdentityFailure
            : SendResultTypes.NetworkFailure;
        var number = RecipientAddress.IsE164(result.Recipient) ? result.Recipient : null;
        return new JsonSendMessageResult(new JsonRecipientAddress(result.ServiceId?.ToString(), number), groupId.ToBase64(), type);
    }

    private static JsonRecipientAddress Address(RecipientAddress recipient) => recipient.Kind == RecipientKind.PhoneNumber
        ? new JsonRecipientAddress(null, recipient.Value)
        : new JsonRecipientAddress(recipient.Value, null);

    internal static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

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
