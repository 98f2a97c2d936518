using System.Text.Json;
using SignalSharp.Account.Api;

namespace SignalSharp.Daemon.Commands;

/// <summary>
/// The poll extensions, each to a <c>recipient</c> or <c>groupId</c>: <c>send_poll_create</c> (<c>question</c>,
/// <c>options</c>, optional <c>allowMultiple</c>, true by default as in Signal's apps), <c>send_poll_vote</c>
/// (<c>pollAuthor</c>, <c>pollTimestamp</c>, <c>optionIndexes</c>, optional <c>voteCount</c>, 1 by default) and
/// <c>send_poll_terminate</c> (<c>pollTimestamp</c>). The limits on options are the account's to check.
/// </summary>
internal static class PollCommandParser
{
    public static bool IsPollCommand(JsonElement name) =>
        name.ValueEquals(CommandNames.SendPollCreate) || name.ValueEquals(CommandNames.SendPollVote) || name.ValueEquals(CommandNames.SendPollTerminate);

    public static bool TryParse(JsonElement name, JsonElement request, out DaemonCommand? command, out CommandFault fault)
    {
        command = null;
        if (!CommandParser.TryParseTarget(request, out var target, out fault))
        {
            return false;
        }

        OutgoingPoll? poll;
        string? problem;
        if (name.ValueEquals(CommandNames.SendPollCreate))
        {
            poll = Creation(request, out problem);
        }
        else if (name.ValueEquals(CommandNames.SendPollVote))
        {
            poll = Vote(request, out problem);
        }
        else
        {
            poll = TryTimestamp(request, out var closed) ? new PollClosing(closed) : null;
            problem = "\"pollTimestamp\" (the poll's timestamp) must be a positive integer";
        }

        if (poll is null)
        {
            fault = new CommandFault(StatusCode.Unknown, problem!);
            return false;
        }

        command = new PollCommand(target, poll, name.GetString()!);
        return true;
    }

    private static PollCreation? Creation(JsonElement request, out string? problem)
    {
        problem = "\"question\" must be a string and \"options\" an array of strings";
        if (!CommandParser.TryGetPresent(request, "question"u8, out var question) || question.ValueKind != JsonValueKind.String
            || !CommandParser.TryGetPresent(request, "options"u8, out var options) || options.ValueKind != JsonValueKind.Array
            || options.EnumerateArray().Any(o => o.ValueKind != JsonValueKind.String))
        {
            return null;
        }

        var allowMultiple = true;
        if (CommandParser.TryGetPresent(request, "allowMultiple"u8, out var multiple))
        {
            if (multiple.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                problem = "\"allowMultiple\" must be true or false";
                return null;
            }

            allowMultiple = multiple.GetBoolean();
        }

        return new PollCreation(question.GetString()!, [.. options.EnumerateArray().Select(o => o.GetString()!)], allowMultiple);
    }

    private static PollVote? Vote(JsonElement request, out string? problem)
    {
        problem = "\"pollAuthor\" must name the poll's author (a phone number or service id)";
        if (!CommandParser.TryGetPresent(request, "pollAuthor"u8, out var author) || author.ValueKind != JsonValueKind.String
            || !RecipientAddress.TryParse(author.GetString(), out var address))
        {
            return null;
        }

        if (!TryTimestamp(request, out var timestamp))
        {
            problem = "\"pollTimestamp\" (the poll's timestamp) must be a positive integer";
            return null;
        }

        problem = "\"optionIndexes\" must be an array of option indexes (from 0)";
        if (!CommandParser.TryGetPresent(request, "optionIndexes"u8, out var indexes) || indexes.ValueKind != JsonValueKind.Array
            || indexes.EnumerateArray().Any(i => i.ValueKind != JsonValueKind.Number || !i.TryGetInt32(out var index) || index < 0))
        {
            return null;
        }

        var count = 1;
        if (CommandParser.TryGetPresent(request, "voteCount"u8, out var voteCount) && (!voteCount.TryGetInt32(out count) || count < 1))
        {
            problem = "\"voteCount\" must be a number from 1 (one more each time the vote changes)";
            return null;
        }

        return new PollVote(address.Value, timestamp, [.. indexes.EnumerateArray().Select(i => i.GetInt32())], count);
    }

    private static bool TryTimestamp(JsonElement request, out long timestamp)
    {
        timestamp = 0;
        return CommandParser.TryGetPresent(request, "pollTimestamp"u8, out var stamp) && ControlCommandParser.TryGetTimestamp(stamp, out timestamp);
    }
}
