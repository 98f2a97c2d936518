using System.CommandLine;
using System.Text.Json.Nodes;

namespace SignalSharp.Cli.OneShot;

/// <summary>
/// signal-cli's one-shot commands about the account itself: updateAccount, sendContacts, getUserStatus. Each is the
/// JSON-RPC method of the same name, through the daemon when one serves the account.
/// </summary>
internal static class AccountCommands
{
    public static IEnumerable<Command> Create(GlobalOptions globals, CliServices services, TextWriter stdout, TextWriter stderr)
    {
        yield return UpdateAccount(globals, services, stderr);
        yield return SendContacts(globals, services, stderr);
        yield return GetUserStatus(globals, services, stdout, stderr);
        yield return GetAvatar(globals, services, stdout, stderr);
    }

    /// <summary>signal-cli's getAvatar: one of -c, -p, -g; prints the image in base64 (-o json: {data}).</summary>
    private static Command GetAvatar(GlobalOptions globals, CliServices services, TextWriter stdout, TextWriter stderr)
    {
        var contact = new Option<string?>("--contact", "-c") { Description = "A contact's avatar from the contact list", HelpName = "RECIPIENT" };
        var profile = new Option<string?>("--profile", "-p") { Description = "The avatar of someone's profile", HelpName = "RECIPIENT" };
        var group = new Option<string?>("--group-id", "-g") { Description = "A group's avatar (base64 id)", HelpName = "GROUP" };
        var command = new Command("getAvatar", "Print a stored avatar (of a contact, a profile or a group) in base64") { contact, profile, group };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var parameters = new JsonObject();
            foreach (var (name, option) in new[] { ("contact", contact), ("profile", profile), ("groupId", group) })
            {
                if (parseResult.GetValue(option) is { } value)
                {
                    parameters[name] = value;
                }
            }

            return OneShotCommands.RunAsync(globals, parseResult, services, stderr, "getAvatar", parameters, async result =>
                await stdout.WriteLineAsync(globals.IsJson(parseResult) ? OneShotCommands.Json(result) : (string?)result["data"]).ConfigureAwait(false), cancellationToken);
        });
        return command;
    }

    private static Command UpdateAccount(GlobalOptions globals, CliServices services, TextWriter stderr)
    {
        var deviceName = new Option<string?>("--device-name", "-n") { Description = "A new name for this device", HelpName = "NAME" };
        // signal-cli's flags; the daemon refuses the account attributes by name (SignalSharp does not change them).
        var unrestricted = new Option<bool?>("--unrestricted-unidentified-sender") { Description = "Not supported by SignalSharp (refused)", HelpName = "BOOL" };
        var discoverable = new Option<bool?>("--discoverable-by-number") { Description = "Not supported by SignalSharp (refused)", HelpName = "BOOL" };
        var numberSharing = new Option<bool?>("--number-sharing") { Description = "Not supported by SignalSharp (refused)", HelpName = "BOOL" };
        var deleteUsername = new Option<bool>("--delete-username") { Description = "Not supported by SignalSharp (refused)" };
        var command = new Command("updateAccount", "Update the account's settings on the server: this device's name")
        {
            deviceName, unrestricted, discoverable, numberSharing, deleteUsername,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var parameters = new JsonObject();
            if (parseResult.GetValue(deviceName) is { } name)
            {
                parameters["deviceName"] = name;
            }

            SetBool(parameters, "unrestrictedUnidentifiedSender", parseResult.GetValue(unrestricted));
            SetBool(parameters, "discoverableByNumber", parseResult.GetValue(discoverable));
            SetBool(parameters, "numberSharing", parseResult.GetValue(numberSharing));
            if (parseResult.GetValue(deleteUsername))
            {
                parameters["deleteUsername"] = true;
            }

            return OneShotCommands.RunAsync(globals, parseResult, services, stderr, "updateAccount", parameters, _ => Task.CompletedTask, cancellationToken);
        });
        return command;
    }

    private static Command SendContacts(GlobalOptions globals, CliServices services, TextWriter stderr)
    {
        var command = new Command("sendContacts", "Send the contact list to the account's other devices");
        command.SetAction((parseResult, cancellationToken) =>
            OneShotCommands.RunAsync(globals, parseResult, services, stderr, "sendContacts", [], _ => Task.CompletedTask, cancellationToken));
        return command;
    }

    private static Command GetUserStatus(GlobalOptions globals, CliServices services, TextWriter stdout, TextWriter stderr)
    {
        var recipients = new Argument<string[]>("RECIPIENT") { Description = "Phone numbers (known to the account) or service ids", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("getUserStatus", "Check whether recipients are registered Signal users (-o json: recipient, number, uuid, isRegistered)")
        {
            recipients,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var parameters = new JsonObject();
            SendExtraOptions.SetList(parameters, "recipient", parseResult.GetValue(recipients));
            return OneShotCommands.RunAsync(globals, parseResult, services, stderr, "getUserStatus", parameters, async result =>
            {
                if (globals.IsJson(parseResult))
                {
                    await stdout.WriteLineAsync(OneShotCommands.Json(result)).ConfigureAwait(false);
                    return;
                }

                // signal-cli's plain text: "RECIPIENT: true|false".
                foreach (var status in result.AsArray())
                {
                    await stdout.WriteLineAsync($"{(string?)status!["recipient"]}: {((bool)status["isRegistered"]! ? "true" : "false")}").ConfigureAwait(false);
                }
            }, cancellationToken);
        });
        return command;
    }

    private static void SetBool(JsonObject parameters, string name, bool? value)
    {
        if (value is { } given)
        {
            parameters[name] = given;
        }
    }
}
