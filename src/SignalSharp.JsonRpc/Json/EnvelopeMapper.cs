using SignalSharp.Account.Api;

namespace SignalSharp.JsonRpc.Json;

/// <summary>Shapes what the account received as signal-cli's receive payload.</summary>
public static class EnvelopeMapper
{
    public static JsonReceivePayload ToPayload(ReceivedItem item, string account) => item switch
    {
        ReceivedMessage message => new JsonReceivePayload(ToEnvelope(message), account),
        ReceiveFailure failure => new JsonReceivePayload(null, account, new JsonReceiveError(failure.ErrorMessage, FailureType(failure.Kind))),
        _ => throw new ArgumentOutOfRangeException(nameof(item), item.GetType().Name, "unknown received item"),
    };

    private static JsonMessageEnvelope ToEnvelope(ReceivedMessage message)
    {
        var (number, uuid) = Split(message.Sender, message.SenderServiceId);
        var data = new JsonDataMessage(
            message.Timestamp,
            message.Body,
            0,
            message.Reaction is { } reaction ? ToReaction(reaction) : null,
            message.Attachments.Count == 0 ? null : [.. message.Attachments.Select(a => new JsonAttachment(a.ContentType, a.FileName, null, a.Size))],
            message.GroupId is { } group ? new JsonGroupInfo(group.ToBase64(), "DELIVER") : null);
        return new JsonMessageEnvelope(number ?? uuid, number, uuid, null, null, message.Timestamp, null, null, data);
    }

    private static JsonReaction ToReaction(ReceivedReaction reaction)
    {
        var (number, uuid) = Split(reaction.TargetAuthor, null);
        return new JsonReaction(reaction.Emoji, number ?? uuid, number, uuid, reaction.TargetTimestamp, reaction.Remove);
    }

    /// <summary>The sender as (number, uuid): the account names a sender by number when it knows it, else by service id.</summary>
    private static (string? Number, string? Uuid) Split(string sender, ServiceId? serviceId)
    {
        string? number = null;
        string? uuid = null;
        if (RecipientAddress.TryParse(sender, out var address))
        {
            if (address.Value.Kind == RecipientKind.PhoneNumber)
            {
                number = address.Value.Value;
            }
            else
            {
                uuid = address.Value.Value;
            }
        }

        if (serviceId is { IsAci: true } service && service.Uuid != Guid.Empty)
        {
            uuid = service.ToString();
        }

        return (number, uuid);
    }

    private static string FailureType(ReceiveFailureKind kind) => kind switch
    {
        ReceiveFailureKind.MessageError => "MessageError",
        ReceiveFailureKind.MissingContent => "MissingContent",
        ReceiveFailureKind.ParsingError => "ParsingError",
        _ => kind.ToString(),
    };
}
