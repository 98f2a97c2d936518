using System.CommandLine;
using System.Text.Json.Nodes;

namespace SignalSharp.Cli.OneShot;

/// <summary>
/// signal-cli's <c>listGroups</c>: with <c>-o json</c> the JSON-RPC result (every field, as signal-cli's JSON output
/// always is detailed); as text one line per group, <c>Id: … Name: …  Active: … Blocked: …</c>, and with
/// <c>--detailed</c> also the description, members (administrators marked <c>{ADMIN}</c>), pending, requesting and
/// banned members, the timer and the invite link, in signal-cli's words.
/// </summary>
internal static class GroupListing
{
    public static Command Create(GlobalOptions globals, CliServices services, TextWriter stdout, TextWriter stderr)
    {
        var detailed = new Option<bool>("--detailed", "-d") { Description = "List the members and invite link of each group (always with -o json)" };
        var groups = new Option<string[]>("--group-id", "-g") { Description = "Only these groups (base64 ids)", HelpName = "GROUP", AllowMultipleArgumentsPerToken = true };
        var command = new Command("listGroups", "List the groups the account knows; through the running daemon when one serves the account") { detailed, groups };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var parameters = new JsonObject();
            SendExtraOptions.SetList(parameters, "groupId", parseResult.GetValue(groups));
            return OneShotCommands.RunAsync(globals, parseResult, services, stderr, "listGroups", parameters, async result =>
            {
                if (globals.IsJson(parseResult))
                {
                    await stdout.WriteLineAsync(OneShotCommands.Json(result)).ConfigureAwait(false);
                    return;
                }

                foreach (var group in result.AsArray())
                {
                    await stdout.WriteLineAsync(Line(group!, parseResult.GetValue(detailed))).ConfigureAwait(false);
                }
            }, cancellationToken);
        });
        return command;
    }

    /// <summary>One group as signal-cli's plain text prints it (Java's spelling of null, booleans and sets).</summary>
    internal static string Line(JsonNode group, bool detailed)
    {
        var head = $"Id: {Text(group["id"])} Name: {Text(group["name"])}";
        var active = Bool(group["isMember"]);
        var blocked = Bool(group["isBlocked"]);
        if (!detailed)
        {
            return $"{head}  Active: {active} Blocked: {blocked}";
        }

        var members = Set(group["members"], m => Who(m) + ((bool?)m["isAdmin"] == true ? "{ADMIN}" : ""));
        var seconds = long.TryParse(group["messageExpirationTime"]?.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 0;
        return $"{head} Description: {Text(group["description"])} Active: {active} Blocked: {blocked} Members: {members}"
            + $" Pending members: {Set(group["pendingMembers"], Who)} Requesting members: {Set(group["requestingMembers"], Who)}"
            + $" Banned: {Set(group["banned"], Who)} Message expiration: {(seconds == 0 ? "disabled" : seconds + "s")}"
            + $" Link: {(string?)group["groupInviteLink"] ?? "-"}";
    }

    private static string Text(JsonNode? value) => (string?)value ?? "null";

    private static string Bool(JsonNode? value) => (bool?)value == true ? "true" : "false";

    /// <summary>signal-cli's "legacy identifier": the number when known, else the service id.</summary>
    private static string Who(JsonNode member) => (string?)member["number"] ?? (string?)member["uuid"] ?? "null";

    private static string Set(JsonNode? list, Func<JsonNode, string> show) =>
        "[" + string.Join(", ", (list as JsonArray ?? []).Where(m => m is not null).Select(m => show(m!))) + "]";
}
