namespace SignalSharp.Account.Api;

/// <summary>Where a message or reaction goes: one person or one group.</summary>
public abstract record MessageTarget;

public sealed record RecipientTarget(RecipientAddress Recipient) : MessageTarget;

public sealed record GroupTarget(GroupId GroupId) : MessageTarget;

/// <summary>An attachment to send: its decoded bytes and the file name the client gave, if any.</summary>
public sealed record OutgoingAttachment(ReadOnlyMemory<byte> Data, string? FileName, string? ContentType);

/// <summary>A data message to send. At least one of <see cref="Text"/> and <see cref="Attachments"/> is non-empty.</summary>
public sealed record OutgoingMessage(string? Text, IReadOnlyList<OutgoingAttachment> Attachments);

/// <summary>A reaction to the message that <see cref="TargetAuthor"/> sent at <see cref="TargetTimestamp"/>.</summary>
public sealed record OutgoingReaction(string Emoji, RecipientAddress TargetAuthor, long TargetTimestamp, bool Remove);

/// <summary>
/// The outcome of a send: the timestamp (ms since the epoch) that identifies the sent message and, for a group send,
/// one entry per other member (<see cref="RecipientSendResult.Success"/> false for those it could not reach).
/// </summary>
public sealed record SendResult(long Timestamp, IReadOnlyList<RecipientSendResult>? Results = null);

/// <summary>A receive request; <see cref="Timeout"/> is already clamped by the daemon.</summary>
public sealed record ReceiveRequest(TimeSpan Timeout, bool IgnoreAttachments);

/// <summary>One item handed out by <see cref="ISignalAccount.ReceiveAsync"/>: a message or a failure.</summary>
public abstract record ReceivedItem;

/// <summary>A received attachment; <see cref="Data"/> is null when attachments were ignored or not downloaded.</summary>
public sealed record ReceivedAttachment(ReadOnlyMemory<byte>? Data, string? FileName, string? ContentType, long? Size);

/// <summary>A received reaction (shaped as in send_reaction).</summary>
public sealed record ReceivedReaction(string Emoji, string TargetAuthor, long TargetTimestamp, bool Remove);

/// <summary>
/// A received message. <see cref="Sender"/> is the sender's phone number when known, else its service id;
/// <see cref="SenderServiceId"/>, <see cref="GroupId"/> and <see cref="Reaction"/> are optional extensions.
/// <see cref="UntrustedIdentity"/> is true when the sender's identity key changed and the user has not trusted it yet.
/// </summary>
public sealed record ReceivedMessage(
    long Timestamp,
    string Sender,
    string? Body,
    IReadOnlyList<ReceivedAttachment> Attachments,
    ServiceId? SenderServiceId = null,
    GroupId? GroupId = null,
    ReceivedReaction? Reaction = null,
    bool UntrustedIdentity = false) : ReceivedItem;

public enum ReceiveFailureKind
{
    /// <summary>Fetching or decrypting the message failed (status 8).</summary>
    MessageError,

    /// <summary>The message had no content (status 9).</summary>
    MissingContent,

    /// <summary>The message could not be parsed (status 10).</summary>
    ParsingError,
}

/// <summary>A message that arrived but cannot be shown; listed so that nothing vanishes silently.</summary>
public sealed record ReceiveFailure(ReceiveFailureKind Kind, string ErrorMessage) : ReceivedItem;
