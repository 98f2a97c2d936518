using SignalSharp.Account.Api;

namespace SignalSharp.Daemon.Commands;

/// <summary>A request that passed every check that does not need the account.</summary>
internal abstract record DaemonCommand(string Name);

internal sealed record SendMessageCommand(MessageTarget Target, OutgoingMessage Message) : DaemonCommand(CommandNames.SendMessage);

internal sealed record SendReactionCommand(MessageTarget Target, OutgoingReaction Reaction) : DaemonCommand(CommandNames.SendReaction);

internal sealed record ReceiveMessagesCommand(ReceiveRequest Request) : DaemonCommand(CommandNames.ReceiveMessages);

/// <summary>An extension: trust a contact's current identity key.</summary>
internal sealed record TrustCommand(RecipientAddress Recipient, TrustRequest Request) : DaemonCommand(CommandNames.Trust);

/// <summary>An extension: the contacts' identity keys with safety numbers and trust.</summary>
internal sealed record ListIdentitiesCommand(RecipientAddress? Recipient) : DaemonCommand(CommandNames.ListIdentities);

/// <summary>An extension: delete the account's own message sent at <see cref="TargetTimestamp"/> for everyone.</summary>
internal sealed record RemoteDeleteCommand(MessageTarget Target, long TargetTimestamp) : DaemonCommand(CommandNames.SendRemoteDelete);

/// <summary>An extension: a typing indicator, started or stopped.</summary>
internal sealed record TypingCommand(MessageTarget Target, bool Started) : DaemonCommand(CommandNames.SendTyping);

/// <summary>An extension: a receipt for a contact's messages.</summary>
internal sealed record ReceiptCommand(RecipientAddress Recipient, ReceiptKind Kind, IReadOnlyList<long> Timestamps) : DaemonCommand(CommandNames.SendReceipt);

/// <summary>An extension: the disappearing-messages timer of a conversation.</summary>
internal sealed record ExpirationTimerCommand(MessageTarget Target, int Seconds) : DaemonCommand(CommandNames.SetExpirationTimer);

/// <summary>An extension: a poll created, voted on or closed (<see cref="DaemonCommand.Name"/> says which).</summary>
internal sealed record PollCommand(MessageTarget Target, OutgoingPoll Poll, string CommandName) : DaemonCommand(CommandName);

/// <summary>Why a request was refused before reaching the account.</summary>
internal readonly record struct CommandFault(StatusCode Status, string Message);

internal static class CommandNames
{
    public const string SendMessage = "send_message";
    public const string SendReaction = "send_reaction";
    public const string ReceiveMessages = "receive_messages";
    public const string Trust = "trust";
    public const string ListIdentities = "list_identities";
    public const string SendRemoteDelete = "send_remote_delete";
    public const string SendTyping = "send_typing";
    public const string SendReceipt = "send_receipt";
    public const string SetExpirationTimer = "set_expiration_timer";
    public const string SendPollCreate = "send_poll_create";
    public const string SendPollVote = "send_poll_vote";
    public const string SendPollTerminate = "send_poll_terminate";
}
