using System.CommandLine;
using System.Text.Json.Nodes;

namespace SignalSharp.Cli.OneShot;

/// <summary>
/// signal-cli's one-shot commands that send no text: `remoteDelete`, `sendTyping`, `sendReceipt` and
/// `updateContact --expiration` (the disappearing-messages timer). Each is the JSON-RPC method of the same name,
/// through the daemon when one serves the account; the sending ones print the timestamp as signal-cli does.
/// </summary>
internal static class ControlCommands
{
    public static IEnumerable<Command> Create(GlobalOptions globals, CliServices services, TextWriter stdout, TextWriter stderr)
    {
        yield return RemoteDelete(globals, services, stdout, stderr);
        yield return SendTyping(globals, services, stderr);
        yield return SendReceipt(globals, services, stdout, stderr);
        yield return UpdateContact(globals, services, stderr);
    }

    private static Command RemoteDelete(GlobalOptions globals, CliServices services, TextWriter stdout, TextWriter stderr)
    {
        var (recipients, groups) = Targets();
        var target = new Option<long>("--target-timestamp", "-t") { Description = "The timestamp of our message to delete", HelpName = "TIMESTAMP", Required = true };
        var command = new Command("remoteDelete", "Delete our own earlier message for everyone") { recipients, groups, target };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var parameters = TargetParameters(parseResult, recipients, groups);
            parameters["targetTimestamp"] = parseResult.GetValue(target);
            return OneShotCommands.RunAsync(globals, parseResult, services, stderr, "remoteDelete", parameters, PrintTimestamp(stdout), cancellationToken);
        });
        return command;
    }

    private static Command SendTyping(GlobalOptions globals, CliServices services, TextWriter stderr)
    {
        var (recipients, groups) = Targets();
        var stop = new Option<bool>("--stop", "-s") { Description = "Stopped typing (default: started)" };
        var command = new Command("sendTyping", "Tell people or a group that we started (or stopped) typing") { recipients, groups, stop };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var parameters = TargetParameters(parseResult, recipients, groups);
            if (parseResult.GetValue(stop))
            {
                parameters["stop"] = true;
            }

            return OneShotCommands.RunAsync(globals, parseResult, services, stderr, "sendTyping", parameters, _ => Task.CompletedTask, cancellationToken);
        });
        return command;
    }

    private static Command SendReceipt(GlobalOptions globals, CliServices services, TextWriter stdout, TextWriter stderr)
    {
        var recipient = new Argument<string>("RECIPIENT") { Description = "The sender of the messages (number or service id)" };
        var targets = new Option<long[]>("--target-timestamp", "-t")
        {
            Description = "The timestamps of the messages acknowledged", HelpName = "TIMESTAMP", Required = true, AllowMultipleArgumentsPerToken = true,
        };
        var type = new Option<string>("--type") { Description = "read or viewed [default: read]", HelpName = "TYPE", DefaultValueFactory = _ => "read" };
        type.AcceptOnlyFromAmong("read", "viewed");
        var command = new Command("sendReceipt", "Send a read or viewed receipt for received messages") { recipient, targets, type };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var parameters = new JsonObject
            {
                ["recipient"] = parseResult.GetValue(recipient),
                ["targetTimestamp"] = new JsonArray([.. parseResult.GetValue(targets)!.Select(t => (JsonNode?)JsonValue.Create(t))]),
                ["type"] = parseResult.GetValue(type),
            };
            return OneShotCommands.RunAsync(globals, parseResult, services, stderr, "sendReceipt", parameters, PrintTimestamp(stdout), cancellationToken);
        });
        return command;
    }

    private static Command UpdateContact(GlobalOptions globals, CliServices services, TextWriter stderr)
    {
        var recipient = new Argument<string>("RECIPIENT") { Description = "The contact (number or service id)" };
        var expiration = new Option<int?>("--expiration", "-e") { Description = "The disappearing-messages timer in seconds (0: off)", HelpName = "SECONDS" };
        var name = new Option<string?>("--name", "-n") { Description = "The name to give the contact (empty: none)", HelpName = "NAME" };
        var given = new Option<string?>("--given-name") { Description = "The contact name's given part", HelpName = "NAME" };
        var family = new Option<string?>("--family-name") { Description = "The contact name's family part", HelpName = "NAME" };
        var command = new Command("updateContact", "Change a contact: the name you give them, the disappearing-messages timer") { recipient, expiration, name, given, family };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var parameters = new JsonObject { ["recipient"] = parseResult.GetValue(recipient) };
            foreach (var (key, option) in new[] { ("name", name), ("givenName", given), ("familyName", family) })
            {
                if (parseResult.GetValue(option) is { } text)
                {
                    parameters[key] = text;
                }
            }

            if (parseResult.GetValue(expiration) is { } seconds)
            {
                parameters["expiration"] = seconds;
            }

            return OneShotCommands.RunAsync(globals, parseResult, services, stderr, "updateContact", parameters, _ => Task.CompletedTask, cancellationToken);
        });
        return command;
    }

    internal static (Argument<string[]> Recipients, Option<string[]> Groups) Targets() =>
    (
        new Argument<string[]>("RECIPIENT") { Description = "Phone numbers or service ids", Arity = ArgumentArity.ZeroOrMore },
        new Option<string[]>("--group-id", "-g") { Description = "A group (base64 id)", HelpName = "GROUP", AllowMultipleArgumentsPerToken = true }
    );

    internal static JsonObject TargetParameters(ParseResult parseResult, Argument<string[]> recipients, Option<string[]> groups)
    {
        var parameters = new JsonObject();
        SendExtraOptions.SetList(parameters, "recipient", parseResult.GetValue(recipients));
        SendExtraOptions.SetList(parameters, "groupId", parseResult.GetValue(groups));
        return parameters;
    }

    internal static Func<JsonNode, Task> PrintTimestamp(TextWriter stdout) =>
        result => stdout.WriteLineAsync(result["timestamp"]?.ToJsonString() ?? "");
}
