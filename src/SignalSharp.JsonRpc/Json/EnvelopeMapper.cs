using SignalSharp.Account.Api;

namespace SignalSharp.JsonRpc.Json;

/// <summary>Shapes what the account received as signal-cli's receive payload.</summary>
public static class EnvelopeMapper
{
    /// <param name="attachmentId">Keeps a received attachment's bytes and names its id (null: not kept, no id).</param>
    public static JsonReceivePayload ToPayload(ReceivedItem item, string account, Func<ReceivedAttachment, string?>? attachmentId = null) => item switch
    {
        ReceivedMessage message => new JsonReceivePayload(ToEnvelope(message, attachmentId ?? (_ => null)), account),
        ReceivedSentTranscript sent => new JsonReceivePayload(ToEnvelope(sent, account, attachmentId ?? (_ => null)), account),
        ReceivedTyping typing => new JsonReceivePayload(
            Envelope(typing.Sender, typing.SenderServiceId, typing.Timestamp) with
            {
                TypingMessage = new JsonTypingMessage(typing.Started ? "STARTED" : "STOPPED", typing.Timestamp, typing.GroupId?.ToBase64()),
            }, account),
        ReceivedReceipt receipt => new JsonReceivePayload(
            Envelope(receipt.Sender, receipt.SenderServiceId, receipt.Timestamp) with
            {
                ReceiptMessage = new JsonReceiptMessage(receipt.Timestamp, receipt.Kind == ReceiptKind.Delivery, receipt.Kind == ReceiptKind.Read,
                    receipt.Kind == ReceiptKind.Viewed, receipt.MessageTimestamps),
            }, account),
        ReceivedReadSync sync => new JsonReceivePayload(ToEnvelope(sync, account), account),
        ReceiveFailure failure => new JsonReceivePayload(null, account, new JsonReceiveError(failure.ErrorMessage, FailureType(failure.Kind))),
        ReceivedGroupChange change => new JsonReceivePayload(
            Envelope(change.Author, change.AuthorServiceId, change.Timestamp) with
            {
                DataMessage = new JsonDataMessage(change.Timestamp, null, 0, null, null, new JsonGroupInfo(change.GroupId.ToBase64(), "UPDATE")
                {
                    GroupName = change.GroupName,
                    Revision = change.Revision,
                    Changes = [.. change.Changes.Select(c => new JsonGroupChange(c.Kind, c.Member, c.MemberServiceId, c.Value))],
                }),
            }, account),
        // signal-cli reports a changed safety number as an error on the sender's envelope, typed as its exception.
        ReceivedIdentityChange change => new JsonReceivePayload(
            Envelope(change.Sender, change.SenderServiceId?.ToString(), change.Timestamp), account,
            new JsonReceiveError($"The safety number of {change.Sender} changed; trust the new identity to send to it again", "UntrustedIdentityException")),
        _ => throw new ArgumentOutOfRangeException(nameof(item), item.GetType().Name, "unknown received item"),
    };

    private static JsonMessageEnvelope ToEnvelope(ReceivedMessage message, Func<ReceivedAttachment, string?> attachmentId)
    {
        var envelope = Envelope(message.Sender, message.SenderServiceId?.ToString(), message.Timestamp) with { SourceName = message.SenderName };
        if (message.Details.Story is { } story)
        {
            return envelope with { StoryMessage = StoryMapper.ToStory(message, story, attachmentId) };
        }

        var data = DataMessageMapper.ToData(message, attachmentId);
        return message.Details.EditTargetTimestamp is { } target
            ? envelope with { EditMessage = new JsonEditMessage(target, data) }
            : envelope with { DataMessage = data };
    }

    private static JsonMessageEnvelope ToEnvelope(ReceivedSentTranscript sent, string account, Func<ReceivedAttachment, string?> attachmentId)
    {
        var (number, uuid) = DataMessageMapper.Split(sent.Destination, sent.DestinationServiceId);
        var data = DataMessageMapper.ToData(sent.Message, attachmentId);
        var sentMessage = sent.Message.Details.EditTargetTimestamp is { } target
            ? new JsonSyncDataMessage(number, uuid, data) { EditMessage = new JsonEditMessage(target, data) }
            : new JsonSyncDataMessage(number, uuid, data);
        return Envelope(account, null, sent.Message.Timestamp) with { SyncMessage = new JsonSyncMessage(sentMessage, null, null) };
    }

    private static JsonMessageEnvelope ToEnvelope(ReceivedReadSync sync, string account)
    {
        var messages = sync.Messages.Select(m =>
        {
            var (number, uuid) = DataMessageMapper.Split(m.Sender, m.SenderServiceId);
            return new JsonSyncReadMessage(number ?? uuid, number, uuid, m.Timestamp);
        }).ToList();
        return Envelope(account, null, sync.Timestamp) with
        {
            SyncMessage = sync.Viewed ? new JsonSyncMessage(null, null, messages) : new JsonSyncMessage(null, messages, null),
        };
    }

    private static JsonMessageEnvelope Envelope(string sender, string? serviceId, long timestamp)
    {
        var (number, uuid) = DataMessageMapper.Split(sender, serviceId);
        return new JsonMessageEnvelope(number ?? uuid, number, uuid, null, null, timestamp, null, null, null);
    }

    private static string FailureType(ReceiveFailureKind kind) => kind switch
    {
        ReceiveFailureKind.MessageError => "MessageError",
        ReceiveFailureKind.MissingContent => "MissingContent",
        ReceiveFailureKind.ParsingError => "ParsingError",
        _ => kind.ToString(),
    };
}
