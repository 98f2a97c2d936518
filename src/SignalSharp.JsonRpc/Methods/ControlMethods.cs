using System.Globalization;
using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Dispatch;
using SignalSharp.JsonRpc.Protocol;

namespace SignalSharp.JsonRpc.Methods;

/// <summary>
/// signal-cli's methods that send something other than a message: remoteDelete and sendTyping (to recipients and
/// groups), sendReceipt, updateContact's disappearing-messages timer (<c>expiration</c>, seconds), and
/// submitRateLimitChallenge.
/// </summary>
internal sealed class ControlMethods(ISignalAccount account)
{
    /// <summary>updateContact's options SignalSharp does not keep yet (nicknames and notes).</summary>
    private static readonly string[] UnsupportedContactOptions = ["nickGivenName", "nickFamilyName", "note"];

    public Task<MethodResult> RemoteDeleteAsync(JsonRpcCall call)
    {
        var parameters = call.Params;
        var targets = TargetParser.Targets(parameters);
        var target = parameters.GetLong("targetTimestamp") is { } stamp and > 0 ? stamp : throw Missing("targetTimestamp");
        return SendMethods.SendAndReportAsync(targets, SendMethods.Now(), (to, ct) => account.SendRemoteDeleteAsync(to, target, ct), call.CancellationToken);
    }

    public async Task<MethodResult> SendTypingAsync(JsonRpcCall call)
    {
        var parameters = call.Params;
        var targets = TargetParser.Targets(parameters);
        var started = !parameters.GetBool("stop");
        await SendMethods.SendAndReportAsync(targets, SendMethods.Now(), (to, ct) => account.SendTypingAsync(to, started, ct), call.CancellationToken)
            .ConfigureAwait(false);
        return new MethodResult(new JsonObject());
    }

    public async Task<MethodResult> SendReceiptAsync(JsonRpcCall call)
    {
        var parameters = call.Params;
        var recipient = TargetParser.Recipient(parameters.GetString("recipient") ?? throw Missing("recipient"));
        var kind = parameters.GetString("type") switch
        {
            null or "read" => ReceiptKind.Read,
            "viewed" => ReceiptKind.Viewed,
            var other => throw new JsonRpcException(JsonRpcErrorCodes.UserError, "Unknown receipt type: " + other),
        };
        var timestamps = parameters.GetStringList("targetTimestamp")
            .Select(text => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t > 0
                ? t
                : throw new JsonRpcException(JsonRpcErrorCodes.InvalidParams, "Invalid value for parameter targetTimestamp: expected timestamps"))
            .ToList();
        if (timestamps.Count == 0)
        {
            throw Missing("targetTimestamp");
        }

        var result = await SendMethods.SendAndReportAsync([new RecipientTarget(recipient)], SendMethods.Now(),
            (to, ct) => account.SendReceiptAsync(recipient, kind, timestamps, ct), call.CancellationToken).ConfigureAwait(false);
        // signal-cli answers a receipt with its timestamp only.
        return new MethodResult(new JsonObject { ["timestamp"] = result.Value?["timestamp"]?.DeepClone() });
    }

    public async Task<MethodResult> UpdateContactAsync(JsonRpcCall call)
    {
        var parameters = call.Params;
        foreach (var name in UnsupportedContactOptions.Where(parameters.IsSet))
        {
            throw new JsonRpcException(JsonRpcErrorCodes.UserError, $"The updateContact option {name} is not supported by SignalSharp yet");
        }

        var recipient = TargetParser.Recipient(parameters.GetString("recipient") ?? throw Missing("recipient"));
        if (parameters.IsSet("name") || parameters.IsSet("givenName") || parameters.IsSet("familyName"))
        {
            // signal-cli's name, or its given and family name parts; stored as one name.
            var name = parameters.GetString("name")
                ?? string.Join(' ', new[] { parameters.GetString("givenName"), parameters.GetString("familyName") }.Where(p => !string.IsNullOrWhiteSpace(p)));
            await account.People.UpdateContactNameAsync(recipient, name, call.CancellationToken).ConfigureAwait(false);
        }

        if (parameters.GetLong("expiration") is not { } seconds)
        {
            return new MethodResult(new JsonObject());
        }

        if (seconds is < 0 or > int.MaxValue)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.InvalidParams, "Invalid value for parameter expiration: expected seconds");
        }

        await SendMethods.SendAndReportAsync([new RecipientTarget(recipient)], SendMethods.Now(),
            (to, ct) => account.SetExpirationTimerAsync(to, (int)seconds, ct), call.CancellationToken).ConfigureAwait(false);
        return new MethodResult(new JsonObject());
    }

    public async Task<MethodResult> SubmitRateLimitChallengeAsync(JsonRpcCall call)
    {
        var parameters = call.Params;
        var challenge = parameters.GetString("challenge") is { Length: > 0 } c ? c : throw Missing("challenge");
        var captcha = parameters.GetString("captcha") is { Length: > 0 } t ? t : throw Missing("captcha");
        try
        {
            await account.SubmitRateLimitChallengeAsync(challenge, captcha, call.CancellationToken).ConfigureAwait(false);
        }
        catch (ChallengeRefusedException e)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.CaptchaRejected, "Captcha rejected: " + e.Message);
        }

        return new MethodResult(new JsonObject());
    }

    private static JsonRpcException Missing(string name) => new(JsonRpcErrorCodes.InvalidParams, $"Missing parameter {name}");
}
