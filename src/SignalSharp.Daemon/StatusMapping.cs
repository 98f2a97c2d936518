using SignalSharp.Account.Api;

namespace SignalSharp.Daemon;

/// <summary>The one place where account outcomes become status codes.</summary>
internal static class StatusMapping
{
    public static (StatusCode Status, string Message) FromException(Exception exception, bool shuttingDown) => exception switch
    {
        UnknownRecipientException e => (StatusCode.InvalidNumber, e.Message),
        GroupNotFoundException e => (StatusCode.GroupNotFound, e.Message),
        NotAGroupMemberException e => (StatusCode.NotAGroupMember, e.Message),
        // The protocol has no code of its own for it; the message says what happened and what to do (link again).
        AccountStoppedException e => (StatusCode.Unknown, e.Message),
        OperationCanceledException when shuttingDown => (StatusCode.Unknown, "cancelled: the daemon is shutting down"),
        _ => (StatusCode.Unknown, string.IsNullOrEmpty(exception.Message) ? exception.GetType().Name : exception.Message),
    };

    public static StatusCode ToStatus(ReceiveFailureKind kind) => kind switch
    {
        ReceiveFailureKind.MessageError => StatusCode.MessageError,
        ReceiveFailureKind.MissingContent => StatusCode.MissingMessageContent,
        ReceiveFailureKind.ParsingError => StatusCode.MessageParsingError,
        _ => StatusCode.MessageError,
    };
}
