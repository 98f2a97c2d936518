using System.Globalization;
using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Dispatch;
using SignalSharp.JsonRpc.Protocol;

namespace SignalSharp.JsonRpc.Methods;

/// <summary>
/// sendPollCreate, sendPollVote and sendPollTerminate with signal-cli's parameters (recipients or groupId;
/// question, option, noMulti; pollAuthor, pollTimestamp, option indexes, voteCount), answered as send is.
/// </summary>
internal sealed class PollMethods(ISignalAccount account)
{
    public Task<MethodResult> CreateAsync(JsonRpcCall call)
    {
        var parameters = call.Params;
        var question = parameters.GetString("question") ?? throw Missing("question");
        var options = parameters.GetStringList("option");
        if (options.Count == 0)
        {
            throw Missing("option");
        }

        return SendAsync(call, new PollCreation(question, options, AllowMultiple: !parameters.GetBool("noMulti")));
    }

    public Task<MethodResult> VoteAsync(JsonRpcCall call)
    {
        var parameters = call.Params;
        var author = TargetParser.Recipient(parameters.GetString("pollAuthor") ?? throw Missing("pollAuthor"));
        var timestamp = parameters.GetLong("pollTimestamp") ?? throw Missing("pollTimestamp");
        var indexes = parameters.GetStringList("option").Select(Index).ToList();
        var count = parameters.GetLong("voteCount") ?? 1;
        if (count is < 1 or > int.MaxValue)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.InvalidParams, "Invalid parameter voteCount: a count from 1");
        }

        return SendAsync(call, new PollVote(author, timestamp, indexes, (int)count));
    }

    public Task<MethodResult> TerminateAsync(JsonRpcCall call) =>
        SendAsync(call, new PollClosing(call.Params.GetLong("pollTimestamp") ?? throw Missing("pollTimestamp")));

    private async Task<MethodResult> SendAsync(JsonRpcCall call, OutgoingPoll poll)
    {
        var targets = TargetParser.Targets(call.Params);
        var timestamp = SendMethods.Now();
        var message = new OutgoingMessage(null, []) { Timestamp = timestamp, Poll = poll };
        return await SendMethods.SendAndReportAsync(targets, timestamp, (target, ct) => account.SendMessageAsync(target, message, ct), call.CancellationToken)
            .ConfigureAwait(false);
    }

    private static int Index(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? index
            : throw new JsonRpcException(JsonRpcErrorCodes.InvalidParams, $"Invalid parameter option: {text} is not an option index");

    private static JsonRpcException Missing(string name) => new(JsonRpcErrorCodes.InvalidParams, $"Missing parameter {name}");
}
