namespace SignalSharp.Daemon;

/// <summary>The status codes of the TCP protocol (spec: "Errors"). The numeric values are the wire values.</summary>
public enum StatusCode
{
    Unknown = -1,
    Success = 0,
    UnknownCommand = 1,
    InvalidNumber = 2,
    InvalidAttachment = 3,
    InvalidJson = 4,
    InvalidRecipient = 5,
    GroupNotFound = 6,
    NotAGroupMember = 7,
    MessageError = 8,
    MissingMessageContent = 9,
    MessageParsingError = 10,
    MissingReaction = 11,
}
