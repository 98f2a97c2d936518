using System.CommandLine;
using System.Text.Json.Nodes;

namespace SignalSharp.Cli.OneShot;

/// <summary>
/// signal-cli's one-shot commands for the account's own profile, contacts, blocking and devices. Each is the
/// JSON-RPC method of the same name, through the daemon when one serves the account.
/// </summary>
internal static class PeopleCommands
{
    public static IEnumerable<Command> Create(GlobalOptions globals, CliServices services, TextWriter stdout, TextWriter stderr)
    {
        yield return UpdateProfile(globals, services, stderr);
        yield return Block("block", "Block people or groups: their messages are dropped; the other devices are told", globals, services, stderr);
        yield return Block("unblock", "Unblock people or groups", globals, services, stderr);
        yield return RemoveContact(globals, services, stderr);
        yield return ListDevices(globals, services, stdout, stderr);
        yield return RemoveDevice(globals, services, stderr);
        yield return AddDevice(globals, services, stderr);
        yield return MessageRequestResponse(globals, services, stderr);
    }

    private static Command MessageRequestResponse(GlobalOptions globals, CliServices services, TextWriter stderr)
    {
        var recipients = new Argument<string[]>("RECIPIENT") { Description = "Phone numbers or service ids", Arity = ArgumentArity.ZeroOrMore };
        var groups = new Option<string[]>("--group-id", "-g") { Description = "A group (base64 id)", HelpName = "GROUP", AllowMultipleArgumentsPerToken = true };
        var type = new Option<string>("--type") { Description = "The answer", HelpName = "accept|delete", Required = true };
        type.AcceptOnlyFromAmong("accept", "delete");
        var command = new Command("sendMessageRequestResponse", "Tell the account's other devices how a message request was answered")
        {
            recipients, groups, type,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var parameters = new JsonObject { ["type"] = parseResult.GetValue(type) };
            SendExtraOptions.SetList(parameters, "recipient", parseResult.GetValue(recipients));
            SendExtraOptions.SetList(parameters, "groupId", parseResult.GetValue(groups));
            return OneShotCommands.RunAsync(globals, parseResult, services, stderr, "sendMessageRequestResponse", parameters, _ => Task.CompletedTask, cancellationToken);
        });
        return command;
    }

    private static Command AddDevice(GlobalOptions globals, CliServices services, TextWriter stderr)
    {
        var uri = new Option<string>("--uri") { Description = "The sgnl://linkdevice URI the new device shows (quote it: it holds '&')", HelpName = "URI", Required = true };
        var command = new Command("addDevice", "Link a new device to this primary account") { uri };
        command.SetAction((parseResult, cancellationToken) =>
            OneShotCommands.RunAsync(globals, parseResult, services, stderr, "addDevice", new JsonObject { ["uri"] = parseResult.GetValue(uri) },
                _ => Task.CompletedTask, cancellationToken));
        return command;
    }

    private static Command ListDevices(GlobalOptions globals, CliServices services, TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("listDevices", "List the account's devices (JSON: id, name, createdTimestamp, lastSeenTimestamp)");
        command.SetAction((parseResult, cancellationToken) =>
            OneShotCommands.RunAsync(globals, parseResult, services, stderr, "listDevices", [], result => stdout.WriteLineAsync(OneShotCommands.Json(result)), cancellationToken));
        return command;
    }

    private static Command RemoveDevice(GlobalOptions globals, CliServices services, TextWriter stderr)
    {
        var id = new Option<uint>("--device-id", "-d") { Description = "The device to unlink (listDevices shows the ids)", HelpName = "ID", Required = true };
        var command = new Command("removeDevice", "Unlink one of the account's devices") { id };
        command.SetAction((parseResult, cancellationToken) =>
            OneShotCommands.RunAsync(globals, parseResult, services, stderr, "removeDevice", new JsonObject { ["deviceId"] = parseResult.GetValue(id) },
                _ => Task.CompletedTask, cancellationToken));
        return command;
    }

    private static Command Block(string name, string description, GlobalOptions globals, CliServices services, TextWriter stderr)
    {
        var recipients = new Argument<string[]>("RECIPIENT") { Description = "Phone numbers or service ids", Arity = ArgumentArity.ZeroOrMore };
        var groups = new Option<string[]>("--group-id", "-g") { Description = "A group (base64 id)", HelpName = "GROUP", AllowMultipleArgumentsPerToken = true };
        var command = new Command(name, description) { recipients, groups };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var parameters = new JsonObject();
            SendExtraOptions.SetList(parameters, "recipient", parseResult.GetValue(recipients));
            SendExtraOptions.SetList(parameters, "groupId", parseResult.GetValue(groups));
            return OneShotCommands.RunAsync(globals, parseResult, services, stderr, name, parameters, _ => Task.CompletedTask, cancellationToken);
        });
        return command;
    }

    private static Command RemoveContact(GlobalOptions globals, CliServices services, TextWriter stderr)
    {
        var recipient = new Argument<string>("RECIPIENT") { Description = "The contact (number or service id)" };
        var forget = new Option<bool>("--forget") { Description = "Also forget their profile key and profile name" };
        var hide = new Option<bool>("--hide") { Description = "Take them off the contact list (the default)" };
        var command = new Command("removeContact", "Take a contact off the contact list") { recipient, forget, hide };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var parameters = new JsonObject { ["recipient"] = parseResult.GetValue(recipient) };
            if (parseResult.GetValue(forget))
            {
                parameters["forget"] = true;
            }

            return OneShotCommands.RunAsync(globals, parseResult, services, stderr, "removeContact", parameters, _ => Task.CompletedTask, cancellationToken);
        });
        return command;
    }

    private static Command UpdateProfile(GlobalOptions globals, CliServices services, TextWriter stderr)
    {
        var given = new Option<string?>("--given-name", "--name") { Description = "The profile's given name", HelpName = "NAME" };
        var family = new Option<string?>("--family-name") { Description = "The profile's family name (empty: none)", HelpName = "NAME" };
        var about = new Option<string?>("--about") { Description = "The profile's about text (empty: none)", HelpName = "TEXT" };
        var emoji = new Option<string?>("--about-emoji") { Description = "The emoji beside the about text (empty: none)", HelpName = "EMOJI" };
        var avatar = new Option<string?>("--avatar") { Description = "A new avatar image (encrypted under the profile key and uploaded)", HelpName = "FILE" };
        var removeAvatar = new Option<bool>("--remove-avatar") { Description = "Remove the profile's avatar" };
        var rotate = new Option<bool>("--rotate-profile-key")
        {
            Description = "Write the profile under a new random profile key; contacts and groups get the new key, those who held only the old one "
                + "can no longer read the profile. A primary device also gives the server the new key's access key for sealed sends to the account; "
                + "a linked device does not (only the primary writes the account's attributes): until the primary does, the server refuses "
                + "sealed sends from contacts holding the new key (a SignalSharp extension: signal-cli has no such option)",
        };
        var command = new Command("updateProfile", "Change the account's profile: name, about, avatar (what is not given stays)")
        {
            given, family, about, emoji, avatar, removeAvatar, rotate,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var parameters = new JsonObject();
            Set(parameters, "givenName", parseResult.GetValue(given));
            Set(parameters, "familyName", parseResult.GetValue(family));
            Set(parameters, "about", parseResult.GetValue(about));
            Set(parameters, "aboutEmoji", parseResult.GetValue(emoji));
            Set(parameters, "avatar", parseResult.GetValue(avatar));
            if (parseResult.GetValue(removeAvatar))
            {
                parameters["removeAvatar"] = true;
            }

            if (parseResult.GetValue(rotate))
            {
                parameters["rotateProfileKey"] = true;
            }

            return OneShotCommands.RunAsync(globals, parseResult, services, stderr, "updateProfile", parameters, _ => Task.CompletedTask, cancellationToken);
        });
        return command;
    }

    private static void Set(JsonObject parameters, string name, string? value)
    {
        if (value is not null)
        {
            parameters[name] = value;
        }
    }
}
