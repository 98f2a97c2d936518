using System.CommandLine;
using System.Text.Json.Nodes;
using static SignalSharp.Cli.OneShot.ControlCommands;

namespace SignalSharp.Cli.OneShot;

/// <summary>
/// signal-cli's `sendPollCreate`, `sendPollVote` and `sendPollTerminate`, each the JSON-RPC method of the same name
/// (through the daemon when one serves the account); each prints the timestamp, which names the poll.
/// </summary>
internal static class PollCommands
{
    public static IEnumerable<Command> Create(GlobalOptions globals, CliServices services, TextWriter stdout, TextWriter stderr)
    {
        yield return PollCreate(globals, services, stdout, stderr);
        yield return PollVote(globals, services, stdout, stderr);
        yield return PollTerminate(globals, services, stdout, stderr);
    }

    private static Command PollCreate(GlobalOptions globals, CliServices services, TextWriter stdout, TextWriter stderr)
    {
        var (recipients, groups) = Targets();
        var question = new Option<string>("--question", "-q") { Description = "The poll's question", HelpName = "QUESTION", Required = true };
        var options = new Option<string[]>("--option", "-o")
        {
            Description = "The answers to choose from (2 to 10, each 1 to 100 characters)", HelpName = "OPTION", Required = true, AllowMultipleArgumentsPerToken = true,
        };
        var noMulti = new Option<bool>("--no-multi") { Description = "Each person may choose one answer only (default: several)" };
        var command = new Command("sendPollCreate", "Send a poll to people or a group") { recipients, groups, question, options, noMulti };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var parameters = TargetParameters(parseResult, recipients, groups);
            parameters["question"] = parseResult.GetValue(question);
            parameters["option"] = new JsonArray([.. parseResult.GetValue(options)!.Select(o => (JsonNode?)JsonValue.Create(o))]);
            parameters["noMulti"] = parseResult.GetValue(noMulti);
            return OneShotCommands.RunAsync(globals, parseResult, services, stderr, "sendPollCreate", parameters, PrintTimestamp(stdout), cancellationToken);
        });
        return command;
    }

    private static Command PollVote(GlobalOptions globals, CliServices services, TextWriter stdout, TextWriter stderr)
    {
        var (recipients, groups) = Targets();
        var author = new Option<string>("--poll-author") { Description = "Who created the poll (number or service id)", HelpName = "POLL_AUTHOR", Required = true };
        var timestamp = new Option<long>("--poll-timestamp") { Description = "The poll's timestamp", HelpName = "POLL_TIMESTAMP", Required = true };
        var options = new Option<int[]>("--option", "-o") { Description = "The chosen answers' indexes (from 0)", HelpName = "OPTION", AllowMultipleArgumentsPerToken = true };
        var count = new Option<int>("--vote-count")
        {
            Description = "This vote's number: one more each time you vote again on the same poll [default: 1]", HelpName = "VOTE_COUNT", DefaultValueFactory = _ => 1,
        };
        var command = new Command("sendPollVote", "Vote on a poll") { recipients, groups, author, timestamp, options, count };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var parameters = TargetParameters(parseResult, recipients, groups);
            parameters["pollAuthor"] = parseResult.GetValue(author);
            parameters["pollTimestamp"] = parseResult.GetValue(timestamp);
            parameters["option"] = new JsonArray([.. (parseResult.GetValue(options) ?? []).Select(o => (JsonNode?)JsonValue.Create(o.ToString(System.Globalization.CultureInfo.InvariantCulture)))]);
            parameters["voteCount"] = parseResult.GetValue(count);
            return OneShotCommands.RunAsync(globals, parseResult, services, stderr, "sendPollVote", parameters, PrintTimestamp(stdout), cancellationToken);
        });
        return command;
    }

    private static Command PollTerminate(GlobalOptions globals, CliServices services, TextWriter stdout, TextWriter stderr)
    {
        var (recipients, groups) = Targets();
        var timestamp = new Option<long>("--poll-timestamp") { Description = "The timestamp of our poll to close", HelpName = "POLL_TIMESTAMP", Required = true };
        var command = new Command("sendPollTerminate", "Close our own poll") { recipients, groups, timestamp };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var parameters = TargetParameters(parseResult, recipients, groups);
            parameters["pollTimestamp"] = parseResult.GetValue(timestamp);
            return OneShotCommands.RunAsync(globals, parseResult, services, stderr, "sendPollTerminate", parameters, PrintTimestamp(stdout), cancellationToken);
        });
        return command;
    }
}
