using System.CommandLine;
using System.Text.Json.Nodes;

namespace SignalSharp.Cli.OneShot;

/// <summary>
/// signal-cli's group management commands (`updateGroup`, `quitGroup`, `joinGroup`), each the JSON-RPC method of the same name, through the
/// daemon when one serves the account. A created group prints `Created new group: "ID"` as signal-cli does (with
/// `-o json` the result object).
/// </summary>
internal static class GroupCommands
{
    public static IEnumerable<Command> Create(GlobalOptions globals, CliServices services, TextWriter stdout, TextWriter stderr)
    {
        yield return UpdateGroup(globals, services, stdout, stderr);
        yield return QuitGroup(globals, services, stdout, stderr);
        yield return JoinGroup(globals, services, stdout, stderr);
    }

    /// <summary>joinGroup --uri: prints signal-cli's <c>Joined group "ID"</c> (or <c>Requested to join group "ID"</c>) and the timestamp.</summary>
    private static Command JoinGroup(GlobalOptions globals, CliServices services, TextWriter stdout, TextWriter stderr)
    {
        var uri = new Option<string>("--uri") { Description = "The group's invite link (https://signal.group/#...)", HelpName = "URI", Required = true };
        var command = new Command("joinGroup", "Join a group by its invite link (or ask to, when the link needs an administrator's approval)") { uri };
        command.SetAction((parseResult, cancellationToken) =>
            OneShotCommands.RunAsync(globals, parseResult, services, stderr, "joinGroup", new JsonObject { ["uri"] = parseResult.GetValue(uri) }, async result =>
            {
                if (globals.IsJson(parseResult))
                {
                    await stdout.WriteLineAsync(OneShotCommands.Json(result)).ConfigureAwait(false);
                    return;
                }

                var verb = (bool?)result["onlyRequested"] == true ? "Requested to join group" : "Joined group";
                await stdout.WriteLineAsync($"{verb} \"{(string?)result["groupId"]}\"").ConfigureAwait(false);
                await stdout.WriteLineAsync(result["timestamp"]!.ToJsonString()).ConfigureAwait(false);
            }, cancellationToken));
        return command;
    }

    private static Command QuitGroup(GlobalOptions globals, CliServices services, TextWriter stdout, TextWriter stderr)
    {
        var group = new Option<string>("--group-id", "-g") { Description = "The group to leave (base64 id)", HelpName = "GROUP", Required = true };
        var admins = new Option<string[]>("--admin") { Description = "New administrators (needed when leaving as the last one)", HelpName = "RECIPIENT", AllowMultipleArgumentsPerToken = true };
        var command = new Command("quitGroup", "Leave a group") { group, admins };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var parameters = new JsonObject { ["groupId"] = parseResult.GetValue(group) };
            SendExtraOptions.SetList(parameters, "admin", parseResult.GetValue(admins));
            return OneShotCommands.RunAsync(globals, parseResult, services, stderr, "quitGroup", parameters, async result =>
            {
                if (globals.IsJson(parseResult))
                {
                    await stdout.WriteLineAsync(OneShotCommands.Json(result)).ConfigureAwait(false);
                }
            }, cancellationToken);
        });
        return command;
    }

    private static Command UpdateGroup(GlobalOptions globals, CliServices services, TextWriter stdout, TextWriter stderr)
    {
        var group = new Option<string?>("--group-id", "-g") { Description = "The group to change (base64 id); without it a new group is created", HelpName = "GROUP" };
        var name = new Option<string?>("--name", "-n") { Description = "The group's name", HelpName = "NAME" };
        var description = new Option<string?>("--description", "-d") { Description = "The group's description", HelpName = "TEXT" };
        var expiration = new Option<int?>("--expiration", "-e") { Description = "The disappearing-messages timer in seconds (0: off)", HelpName = "SECONDS" };
        var lists = new (string Flag, string? Alias, string Param, string Help)[]
        {
            ("--member", "-m", "member", "Add a member (number or service id)"),
            ("--remove-member", "-r", "removeMember", "Remove a member"),
            ("--admin", null, "admin", "Make a member an administrator"),
            ("--remove-admin", null, "removeAdmin", "Make an administrator a plain member"),
        }.Select(l => (l.Param, Option: l.Alias is null
            ? new Option<string[]>(l.Flag) { Description = l.Help, HelpName = "RECIPIENT", AllowMultipleArgumentsPerToken = true }
            : new Option<string[]>(l.Flag, l.Alias) { Description = l.Help, HelpName = "RECIPIENT", AllowMultipleArgumentsPerToken = true })).ToList();
        var choices = new (string Flag, string Param, string[] Values)[]
        {
            ("--set-permission-add-member", "setPermissionAddMember", ["every-member", "only-admins"]),
            ("--set-permission-edit-details", "setPermissionEditDetails", ["every-member", "only-admins"]),
            ("--set-permission-send-messages", "setPermissionSendMessages", ["every-member", "only-admins"]),
            ("--link", "link", ["enabled", "enabled-with-approval", "disabled"]),
        }.Select(c =>
        {
            var option = new Option<string?>(c.Flag) { Description = string.Join(" | ", c.Values), HelpName = "VALUE" };
            option.AcceptOnlyFromAmong(c.Values);
            return (c.Param, Option: option);
        }).ToList();
        var resetLink = new Option<bool>("--reset-link") { Description = "Make a new invite link (the old one stops working)" };
        var avatar = new Option<string?>("--avatar") { Description = "A new group avatar image (encrypted with the group's keys and uploaded)", HelpName = "FILE" };
        var command = new Command("updateGroup", "Create a group (without -g) or change one: name, description, avatar, members, admins, permissions, invite link")
        {
            group, name, description, expiration, resetLink, avatar,
        };
        foreach (var (_, option) in lists)
        {
            command.Options.Add(option);
        }

        foreach (var (_, option) in choices)
        {
            command.Options.Add(option);
        }

        command.SetAction((parseResult, cancellationToken) =>
        {
            var parameters = new JsonObject();
            SetIf(parameters, "groupId", parseResult.GetValue(group));
            SetIf(parameters, "name", parseResult.GetValue(name));
            SetIf(parameters, "description", parseResult.GetValue(description));
            if (parseResult.GetValue(expiration) is { } seconds)
            {
                parameters["expiration"] = seconds;
            }

            foreach (var (param, option) in lists)
            {
                SendExtraOptions.SetList(parameters, param, parseResult.GetValue(option));
            }

            foreach (var (param, option) in choices)
            {
                SetIf(parameters, param, parseResult.GetValue(option));
            }

            if (parseResult.GetValue(resetLink))
            {
                parameters["resetLink"] = true;
            }

            // The daemon may run in another directory: it gets the file's full path.
            SetIf(parameters, "avatar", parseResult.GetValue(avatar) is { } file ? Path.GetFullPath(file) : null);

            return OneShotCommands.RunAsync(globals, parseResult, services, stderr, "updateGroup", parameters, async result =>
            {
                if (globals.IsJson(parseResult))
                {
                    await stdout.WriteLineAsync(OneShotCommands.Json(result)).ConfigureAwait(false);
                }
                else if ((string?)result["groupId"] is { } created)
                {
                    await stdout.WriteLineAsync($"Created new group: \"{created}\"").ConfigureAwait(false);
                }
            }, cancellationToken);
        });
        return command;
    }

    private static void SetIf(JsonObject parameters, string name, string? value)
    {
        if (value is not null)
        {
            parameters[name] = value;
        }
    }
}
