using System.Globalization;
using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Protocol;

namespace SignalSharp.JsonRpc.Methods;

/// <summary>
/// signal-cli's send options beyond text and attachments: <c>quoteTimestamp</c> with <c>quoteAuthor</c> (and
/// <c>quoteMessage</c>), <c>mention</c> (each "start:length:recipient"), <c>textStyle</c> (each
/// "start:length:STYLE"), <c>editTimestamp</c> and <c>viewOnce</c>. Ranges count UTF-16 code units, as Signal does,
/// and must lie inside the message.
/// </summary>
internal static class SendOptionsParser
{
    public static OutgoingMessage Apply(JsonRpcParams parameters, OutgoingMessage message)
    {
        var textLength = message.Text?.Length ?? 0;
        if (parameters.GetLong("quoteTimestamp") is { } quoted)
        {
            var author = parameters.GetString("quoteAuthor") ?? throw UserError("quoteAuthor is required with quoteTimestamp");
            message = message with { Quote = new OutgoingQuote(Positive(quoted, "quoteTimestamp"), TargetParser.Recipient(author), parameters.GetString("quoteMessage")) };
        }

        var mentions = parameters.GetStringList("mention")
            .Select(text => Range(text, "mention", textLength, (start, length, rest) => new OutgoingMention(start, length, TargetParser.Recipient(rest))))
            .ToList();
        var styles = parameters.GetStringList("textStyle")
            .Select(text => Range(text, "textStyle", textLength, (start, length, rest) => new OutgoingTextStyle(start, length, Style(rest))))
            .ToList();
        message = message with { Mentions = mentions, TextStyles = styles, ViewOnce = parameters.GetBool("viewOnce") };
        if (parameters.GetLong("editTimestamp") is { } edited)
        {
            message = message with { EditTargetTimestamp = Positive(edited, "editTimestamp") };
        }

        return message;
    }

    /// <summary>"start:length:rest", the range inside the text.</summary>
    private static T Range<T>(string text, string name, int textLength, Func<int, int, string, T> make)
    {
        var parts = text.Split(':', 3);
        if (parts.Length != 3
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            || (long)start + length > textLength)
        {
            throw UserError($"Invalid {name} syntax ({text}) expected 'start:length:{(name == "mention" ? "recipient" : "STYLE")}' inside the message");
        }

        return make(start, length, parts[2]);
    }

    private static TextStyle Style(string text) => text.ToUpperInvariant() switch
    {
        "BOLD" => TextStyle.Bold,
        "ITALIC" => TextStyle.Italic,
        "SPOILER" => TextStyle.Spoiler,
        "STRIKETHROUGH" => TextStyle.Strikethrough,
        "MONOSPACE" => TextStyle.Monospace,
        _ => throw UserError($"Invalid style: {text} (BOLD, ITALIC, SPOILER, STRIKETHROUGH or MONOSPACE)"),
    };

    private static long Positive(long value, string name) => value > 0 ? value : throw UserError($"{name} must be a positive timestamp");

    private static JsonRpcException UserError(string message) => new(JsonRpcErrorCodes.UserError, message);
}
