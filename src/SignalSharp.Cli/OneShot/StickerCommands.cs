using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace SignalSharp.Cli.OneShot;

/// <summary>
/// signal-cli's <c>addStickerPack --uri URI</c> and <c>listStickerPacks</c>, each the JSON-RPC method of the same name
/// (through the daemon when one serves the account). listStickerPacks prints signal-cli's line per pack, or with
/// <c>-o json</c> the JSON-RPC result.
/// </summary>
internal static class StickerCommands
{
    public static IEnumerable<Command> Create(GlobalOptions globals, CliServices services, TextWriter stdout, TextWriter stderr)
    {
        yield return Add(globals, services, stderr);
        yield return List(globals, services, stdout, stderr);
    }

    private static Command Add(GlobalOptions globals, CliServices services, TextWriter stderr)
    {
        var uri = new Option<string[]>("--uri")
        {
            Description = "The pack's link, e.g. https://signal.art/addstickers/#pack_id=…&pack_key=…", HelpName = "URI", Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("addStickerPack", "Install a sticker pack for this account") { uri };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var parameters = new JsonObject();
            SendExtraOptions.SetList(parameters, "uri", parseResult.GetValue(uri));
            return OneShotCommands.RunAsync(globals, parseResult, services, stderr, "addStickerPack", parameters, _ => Task.CompletedTask, cancellationToken);
        });
        return command;
    }

    private static Command List(GlobalOptions globals, CliServices services, TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("listStickerPacks", "Show the sticker packs the account knows");
        command.SetAction((parseResult, cancellationToken) =>
            OneShotCommands.RunAsync(globals, parseResult, services, stderr, "listStickerPacks", [], async result =>
            {
                if (globals.IsJson(parseResult))
                {
                    await stdout.WriteLineAsync(OneShotCommands.Json(result)).ConfigureAwait(false);
                    return;
                }

                foreach (var pack in result.AsArray())
                {
                    await stdout.WriteLineAsync(Line(pack!)).ConfigureAwait(false);
                }
            }, cancellationToken));
        return command;
    }

    /// <summary>One pack in signal-cli's words: <c>Pack ID: “TITLE” by “AUTHOR” has N stickers. URL</c>.</summary>
    internal static string Line(JsonNode pack) => string.Create(CultureInfo.InvariantCulture,
        $"Pack {(string?)pack["packId"]}: “{(string?)pack["title"]}” by “{(string?)pack["author"]}” has {pack["stickers"]!.AsArray().Count} stickers. {(string?)pack["url"]}");
}
