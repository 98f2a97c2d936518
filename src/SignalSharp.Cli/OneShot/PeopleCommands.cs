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
    }

    private static Command UpdateProfile(GlobalOptions globals, CliServices services, TextWriter stderr)
    {
        var given = new Option<string?>("--given-name", "--name") { Description = "The profile's given name", HelpName = "NAME" };
        var family = new Option<string?>("--family-name") { Description = "The profile's family name (empty: none)", HelpName = "NAME" };
        var about = new Option<string?>("--about") { Description = "The profile's about text (empty: none)", HelpName = "TEXT" };
        var emoji = new Option<string?>("--about-emoji") { Description = "The emoji beside the about text (empty: none)", HelpName = "EMOJI" };
        var avatar = new Option<string?>("--avatar") { Description = "A new avatar image (not supported yet)", HelpName = "FILE" };
        var removeAvatar = new Option<bool>("--remove-avatar") { Description = "Remove the profile's avatar" };
        var command = new Command("updateProfile", "Change the account's profile: name, about, avatar (what is not given stays)")
        {
            given, family, about, emoji, avatar, removeAvatar,
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
