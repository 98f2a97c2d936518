using System.CommandLine;
using System.Text.Json.Nodes;

namespace SignalSharp.Cli.OneShot;

/// <summary>
/// `send`'s options beyond text and attachments, by signal-cli's names; each becomes the JSON-RPC parameter of the
/// same name (quoteTimestamp, quoteAuthor, quoteMessage, mention, textStyle, editTimestamp, viewOnce, sticker, preview*).
/// </summary>
internal sealed class SendExtraOptions
{
    private readonly Option<long?> quoteTimestamp = new("--quote-timestamp") { Description = "Quote the message sent at this timestamp", HelpName = "TIMESTAMP" };
    private readonly Option<string?> quoteAuthor = new("--quote-author") { Description = "The quoted message's author (number or service id)", HelpName = "AUTHOR" };
    private readonly Option<string?> quoteMessage = new("--quote-message") { Description = "The quoted message's text", HelpName = "TEXT" };
    private readonly Option<string[]> mention = new("--mention")
    {
        Description = "Mention someone: start:length:recipient (UTF-16 code units of the message)", HelpName = "MENTION", AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<string[]> textStyle = new("--text-style")
    {
        Description = "Style a range: start:length:STYLE (BOLD, ITALIC, SPOILER, STRIKETHROUGH, MONOSPACE)", HelpName = "STYLE", AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<long?> editTimestamp = new("--edit-timestamp") { Description = "Replace our own message sent at this timestamp", HelpName = "TIMESTAMP" };
    private readonly Option<bool> viewOnce = new("--view-once") { Description = "The attachments can be seen once" };
    private readonly Option<string?> sticker = new("--sticker") { Description = "Send a sticker of an installed pack: PACK_ID:STICKER_ID", HelpName = "STICKER" };
    private readonly Option<string?> previewUrl = new("--preview-url") { Description = "A link preview for this URL (it must be in the message too)", HelpName = "URL" };
    private readonly Option<string?> previewTitle = new("--preview-title") { Description = "The link preview's title", HelpName = "TITLE" };
    private readonly Option<string?> previewDescription = new("--preview-description") { Description = "The link preview's description", HelpName = "TEXT" };
    private readonly Option<string?> previewImage = new("--preview-image") { Description = "The link preview's image (a file)", HelpName = "FILE" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { quoteTimestamp, quoteAuthor, quoteMessage, mention, textStyle, editTimestamp, viewOnce, sticker,
                     previewUrl, previewTitle, previewDescription, previewImage })
        {
            command.Add(option);
        }
    }

    public void Fill(ParseResult parseResult, JsonObject parameters)
    {
        Set(parameters, "quoteTimestamp", parseResult.GetValue(quoteTimestamp));
        Set(parameters, "quoteAuthor", parseResult.GetValue(quoteAuthor));
        Set(parameters, "quoteMessage", parseResult.GetValue(quoteMessage));
        SetList(parameters, "mention", parseResult.GetValue(mention));
        SetList(parameters, "textStyle", parseResult.GetValue(textStyle));
        Set(parameters, "editTimestamp", parseResult.GetValue(editTimestamp));
        if (parseResult.GetValue(viewOnce))
        {
            parameters["viewOnce"] = true;
        }

        Set(parameters, "sticker", parseResult.GetValue(sticker));
        Set(parameters, "previewUrl", parseResult.GetValue(previewUrl));
        Set(parameters, "previewTitle", parseResult.GetValue(previewTitle));
        Set(parameters, "previewDescription", parseResult.GetValue(previewDescription));
        Set(parameters, "previewImage", parseResult.GetValue(previewImage) is { } file && !file.StartsWith("data:", StringComparison.Ordinal) ? Path.GetFullPath(file) : parseResult.GetValue(previewImage));
    }

    private static void Set(JsonObject parameters, string name, long? value)
    {
        if (value is { } given)
        {
            parameters[name] = given;
        }
    }

    private static void Set(JsonObject parameters, string name, string? value)
    {
        if (value is not null)
        {
            parameters[name] = value;
        }
    }

    internal static void SetList(JsonObject parameters, string name, string[]? values)
    {
        if (values is { Length: > 0 })
        {
            parameters[name] = new JsonArray([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
        }
    }
}
