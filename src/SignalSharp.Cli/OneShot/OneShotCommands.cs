using System.CommandLine;
using System.Text.Json.Nodes;
using SignalSharp.Cli.Accounts;

namespace SignalSharp.Cli.OneShot;

/// <summary>
/// signal-cli's one-shot commands: `send`, `receive`, `listGroups` (<see cref="GroupListing"/>), `listContacts` (and `listIdentities`, `trust`
/// in <see cref="Commands.IdentityCommands"/>). Each goes through the daemon that serves the account when one runs,
/// else opens the account itself. `send` prints the message's timestamp as signal-cli does, or with `-o json` its
/// result object; the others print JSON (signal-cli's `-o json` shapes: `receive` one object per line).
/// </summary>
internal static class OneShotCommands
{
    public static IEnumerable<Command> Create(GlobalOptions globals, CliServices services, TextWriter stdout, TextWriter stderr)
    {
        yield return Send(globals, services, stdout, stderr);
        yield return Receive(globals, services, stdout, stderr);
        yield return GroupListing.Create(globals, services, stdout, stderr);
        yield return Listing("listContacts", "List the contacts the primary device shared (JSON)", globals, services, stdout, stderr);
    }

    private static Command Send(GlobalOptions globals, CliServices services, TextWriter stdout, TextWriter stderr)
    {
        var recipients = new Argument<string[]>("RECIPIENT") { Description = "Phone numbers or service ids", Arity = ArgumentArity.ZeroOrMore };
        var message = new Option<string?>("--message", "-m") { Description = "The text to send", HelpName = "TEXT" };
        var groups = new Option<string[]>("--group-id", "-g") { Description = "A group to send to (base64 id)", HelpName = "GROUP", AllowMultipleArgumentsPerToken = true };
        var attachments = new Option<string[]>("--attachment") { Description = "A file (or data: URI) to attach", HelpName = "FILE", AllowMultipleArgumentsPerToken = true };
        var command = new Command("send", "Send a message (through the running daemon when one serves the account); prints its timestamp")
        {
            recipients, message, groups, attachments,
        };
        var extras = new SendExtraOptions();
        extras.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var parameters = new JsonObject();
            extras.Fill(parseResult, parameters);
            Add(parameters, "recipient", parseResult.GetValue(recipients));
            Add(parameters, "groupId", parseResult.GetValue(groups));
            Add(parameters, "attachment", parseResult.GetValue(attachments));
            if (parseResult.GetValue(message) is { } text)
            {
                parameters["message"] = text;
            }

            return RunAsync(globals, parseResult, services, stderr, "send", parameters, async result =>
            {
                if (globals.IsJson(parseResult))
                {
                    // signal-cli's -o json prints the result object, failures included.
                    await stdout.WriteLineAsync(Json(result)).ConfigureAwait(false);
                    return;
                }

                await stdout.WriteLineAsync(result["timestamp"]!.ToJsonString()).ConfigureAwait(false);
                foreach (var failed in result["results"]!.AsArray().Where(r => (string?)r!["type"] != "SUCCESS"))
                {
                    await stderr.WriteLineAsync($"{Describe(failed!["recipientAddress"])}: {(string?)failed["type"]}").ConfigureAwait(false);
                }
            }, cancellationToken);
        });
        return command;
    }

    private static Command Receive(GlobalOptions globals, CliServices services, TextWriter stdout, TextWriter stderr)
    {
        var timeout = new Option<double>("--timeout", "-t") { Description = "Seconds to wait for the first message [default: 3]", HelpName = "SECONDS", DefaultValueFactory = _ => 3 };
        var command = new Command("receive", "Receive what arrived (one JSON object per message), through the running daemon when one serves the account")
        {
            timeout,
        };
        command.SetAction((parseResult, cancellationToken) =>
            RunAsync(globals, parseResult, services, stderr, "receive", new JsonObject { ["timeout"] = parseResult.GetValue(timeout) }, async result =>
            {
                foreach (var item in result.AsArray())
                {
                    await stdout.WriteLineAsync(Json(item!)).ConfigureAwait(false);
                }

                await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }, cancellationToken));
        return command;
    }

    private static Command Listing(string method, string description, GlobalOptions globals, CliServices services, TextWriter stdout, TextWriter stderr)
    {
        var command = new Command(method, description + "; through the running daemon when one serves the account");
        command.SetAction((parseResult, cancellationToken) =>
            RunAsync(globals, parseResult, services, stderr, method, [], result => stdout.WriteLineAsync(Json(result)), cancellationToken));
        return command;
    }

    /// <summary>Runs <paramref name="method"/> (through the daemon when one serves the account) and prints its result; an error goes to stderr.</summary>
    internal static Task<int> RunAsync(GlobalOptions globals, ParseResult parseResult, CliServices services, TextWriter stderr, string method,
        JsonObject parameters, Func<JsonNode, Task> print, CancellationToken cancellationToken, Func<string, string>? describeError = null)
    {
        var runner = new OneShotRunner(services, stderr);
        return runner.CallAsync(
            parseResult.GetValue(globals.Account),
            ConfigDirectory.Resolve(parseResult.GetValue(globals.Config)),
            GlobalOptions.ParseTrust(parseResult.GetValue(globals.TrustNewIdentities)),
            method,
            parameters,
            async answer =>
            {
                if (answer["error"] is JsonObject error)
                {
                    var message = (string?)error["message"] ?? "";
                    await stderr.WriteLineAsync($"signal-sharp: {(describeError is null ? message : describeError(message))}").ConfigureAwait(false);
                    return ExitCodes.CommandFailed;
                }

                await print(answer["result"]!).ConfigureAwait(false);
                return ExitCodes.Success;
            },
            cancellationToken);
    }

    /// <summary>One line of JSON as signal-cli prints it: compact, with '+' and non-ASCII text as they are.</summary>
    internal static string Json(JsonNode node) => node.ToJsonString(PrintOptions);

    private static readonly System.Text.Json.JsonSerializerOptions PrintOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    private static void Add(JsonObject parameters, string name, string[]? values)
    {
        if (values is { Length: > 0 })
        {
            parameters[name] = new JsonArray([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
        }
    }

    private static string Describe(JsonNode? address) => (string?)address?["number"] ?? (string?)address?["uuid"] ?? "?";
}
