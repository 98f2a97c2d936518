using System.CommandLine;
using SignalSharp.JsonRpc;

namespace SignalSharp.Cli.Commands;

/// <summary>signal-cli's receive options shared by `daemon` and `jsonRpc`.</summary>
internal sealed class ReceiveOptionSet
{
    public Option<string> ReceiveMode { get; } = new("--receive-mode")
    {
        Description = "When JSON-RPC clients get receive notifications: on-start and on-connection subscribe every "
            + "connection; manual waits for subscribeReceive and allows polling with receive [default: on-start]",
        HelpName = "MODE",
        DefaultValueFactory = _ => "on-start",
    };

    public Option<bool> IgnoreAttachments { get; } = new("--ignore-attachments")
    {
        Description = "Do not download received attachments",
    };

    public Option<bool> IgnoreStories { get; } = new("--ignore-stories")
    {
        Description = "Do not receive stories (the default; signal-cli's flag, accepted as it is)",
    };

    public Option<bool> ReceiveStories { get; } = new("--receive-stories")
    {
        Description = "Ask the server for stories and hand them out as storyMessage items (off by default, unlike signal-cli)",
    };

    public Option<bool> SendReadReceipts { get; } = new("--send-read-receipts")
    {
        Description = "Answer every received message with a read receipt as well (delivery receipts are always sent)",
    };

    public ReceiveOptionSet()
    {
        ReceiveMode.AcceptOnlyFromAmong("on-start", "on-connection", "manual");
    }

    public void AddTo(Command command)
    {
        command.Add(ReceiveMode);
        command.Add(IgnoreAttachments);
        command.Add(IgnoreStories);
        command.Add(ReceiveStories);
        command.Add(SendReadReceipts);
    }

    public static ReceiveMode ParseMode(string? text) => text switch
    {
        "manual" => JsonRpc.ReceiveMode.Manual,
        "on-connection" => JsonRpc.ReceiveMode.OnConnection,
        _ => JsonRpc.ReceiveMode.OnStart,
    };

    public JsonRpcSettings Read(ParseResult parseResult) => new(
        ParseMode(parseResult.GetValue(ReceiveMode)),
        parseResult.GetValue(IgnoreAttachments),
        parseResult.GetValue(SendReadReceipts))
    {
        // --ignore-stories wins: a command line that says both means the user does not want them.
        ReceiveStories = parseResult.GetValue(ReceiveStories) && !parseResult.GetValue(IgnoreStories),
    };
}

/// <summary>The receive options as read from the command line.</summary>
internal sealed record JsonRpcSettings(ReceiveMode Mode, bool IgnoreAttachments, bool SendReadReceipts)
{
    public static JsonRpcSettings Default { get; } = new(ReceiveMode.OnStart, false, false);

    /// <summary>`--receive-stories` (and no `--ignore-stories`).</summary>
    public bool ReceiveStories { get; init; }

    public JsonRpcOptions ToOptions(string account, string configDirectory) => new(account, Mode, IgnoreAttachments)
    {
        AttachmentDirectory = Path.Combine(SignalSharp.Account.Storage.AccountDirectory.For(configDirectory, account), "attachments"),
    };
}
