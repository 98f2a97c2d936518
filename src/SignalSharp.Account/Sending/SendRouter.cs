using SignalSharp.Account.Api;
using SignalSharp.Account.Proto;
using SignalSharp.Store.Groups;

namespace SignalSharp.Account.Sending;

/// <summary>
/// Every kind of outgoing message, routed to one person (<see cref="DirectSender"/>) or one group
/// (<see cref="GroupMessageSender"/>): data messages (text, attachments, reactions, remote deletes) with their
/// transcript to our own devices, and the control messages (typing, receipts) without one.
/// </summary>
internal sealed class SendRouter(RecipientResolver recipients, DataMessageBuilder messages, DirectSender direct, GroupMessageSender groupSend, ConversationTimers timers)
{
    public async Task<SendResult> MessageAsync(MessageTarget target, OutgoingMessage message, CancellationToken cancellationToken)
    {
        if (target is GroupTarget && message.EditTargetTimestamp is not null)
        {
            throw new NotSupportedException("editing a group message is not supported yet");
        }

        return await DataAsync(target, async (conversation, isGroup) =>
        {
            var data = await messages.MessageAsync(message, cancellationToken).ConfigureAwait(false);
            await timers.ApplyAsync(conversation, isGroup, data, cancellationToken).ConfigureAwait(false);
            return data;
        }, message.EditTargetTimestamp, cancellationToken).ConfigureAwait(false);
    }

    public Task<SendResult> ReactionAsync(MessageTarget target, OutgoingReaction reaction, CancellationToken cancellationToken) =>
        DataAsync(target, (_, _) => messages.ReactionAsync(reaction, cancellationToken), null, cancellationToken);

    public Task<SendResult> RemoteDeleteAsync(MessageTarget target, long targetTimestamp, CancellationToken cancellationToken) =>
        DataAsync(target, (_, _) => Task.FromResult(new DataMessage
        {
            Timestamp = Now(),
            Delete = new DataMessage.Types.Delete { TargetSentTimestamp = (ulong)targetTimestamp },
        }), null, cancellationToken);

    /// <summary>Sets a 1:1 conversation's disappearing-messages timer and tells the other person (and our own devices).</summary>
    public Task<SendResult> ExpirationTimerAsync(MessageTarget target, int seconds, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seconds);
        if (target is GroupTarget)
        {
            throw new NotSupportedException("a group's disappearing-messages timer is a group setting (a group change), not supported yet");
        }

        return DataAsync(target, (conversation, _) => timers.ChangeAsync(conversation, (uint)seconds, cancellationToken), null, cancellationToken);
    }

    /// <summary>A typing indicator: to a person, or to a group's members naming the group (never stored by the server).</summary>
    public async Task<SendResult> TypingAsync(MessageTarget target, bool started, CancellationToken cancellationToken)
    {
        var timestamp = Now();
        var typing = new TypingMessage { Timestamp = timestamp, Action = started ? 0u : 1u };
        if (target is GroupTarget { GroupId: var groupId })
        {
            var group = await groupSend.RequireGroupAsync(groupId, cancellationToken).ConfigureAwait(false);
            typing.GroupId = Google.Protobuf.ByteString.CopyFrom(groupId.Bytes);
            var report = await groupSend.SendControlAsync(group, new Content { TypingMessage = typing }, timestamp, cancellationToken).ConfigureAwait(false);
            return new SendResult((long)timestamp, await groupSend.ResultsAsync(group, report, cancellationToken).ConfigureAwait(false));
        }

        var address = ((RecipientTarget)target).Recipient;
        var recipient = await recipients.ResolveAsync(address, cancellationToken).ConfigureAwait(false);
        await direct.SendControlAsync(recipient, address, new Content { TypingMessage = typing }, timestamp, DeliveryKind.OnlineOnly, cancellationToken).ConfigureAwait(false);
        return new SendResult((long)timestamp);
    }

    /// <summary>A delivery, read or viewed receipt for <paramref name="address"/>'s messages sent at <paramref name="messageTimestamps"/>.</summary>
    public async Task<SendResult> ReceiptAsync(RecipientAddress address, ReceiptKind kind, IReadOnlyList<long> messageTimestamps, CancellationToken cancellationToken)
    {
        var recipient = await recipients.ResolveAsync(address, cancellationToken).ConfigureAwait(false);
        var timestamp = Now();
        await direct.SendControlAsync(recipient, address, new Content { ReceiptMessage = Receipt(kind, messageTimestamps) }, timestamp, DeliveryKind.Quiet, cancellationToken)
            .ConfigureAwait(false);
        return new SendResult((long)timestamp);
    }

    /// <summary>Signal's ReceiptMessage: DELIVERY 0, READ 1, VIEWED 2.</summary>
    internal static ReceiptMessage Receipt(ReceiptKind kind, IEnumerable<long> messageTimestamps)
    {
        var receipt = new ReceiptMessage
        {
            Type = kind switch
            {
                ReceiptKind.Read => 1u,
                ReceiptKind.Viewed => 2u,
                _ => 0u,
            },
        };
        receipt.Timestamp.Add(messageTimestamps.Select(t => (ulong)t));
        return receipt;
    }

    /// <summary>Builds (given the conversation's key and whether it is a group) and sends a data message.</summary>
    private async Task<SendResult> DataAsync(MessageTarget target, Func<byte[], bool, Task<DataMessage>> build, long? editTarget, CancellationToken cancellationToken)
    {
        if (target is GroupTarget { GroupId: var groupId })
        {
            var group = await groupSend.RequireGroupAsync(groupId, cancellationToken).ConfigureAwait(false);
            return await ToGroupAsync(group, await build(group.GroupId, true).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }

        var address = ((RecipientTarget)target).Recipient;
        var recipient = await recipients.ResolveAsync(address, cancellationToken).ConfigureAwait(false);
        var data = await build(ConversationTimers.Key(recipient), false).ConfigureAwait(false);
        await direct.SendAsync(recipient, address, data, cancellationToken, editTarget).ConfigureAwait(false);
        return new SendResult((long)data.Timestamp);
    }

    private async Task<SendResult> ToGroupAsync(GroupRecord group, DataMessage data, CancellationToken cancellationToken)
    {
        var report = await groupSend.SendAsync(group, data, data.Timestamp, cancellationToken).ConfigureAwait(false);
        return new SendResult((long)data.Timestamp, await groupSend.ResultsAsync(group, report, cancellationToken).ConfigureAwait(false));
    }

    private static ulong Now() => (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
