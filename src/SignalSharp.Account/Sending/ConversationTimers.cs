using SignalSharp.Account.Api;
using SignalSharp.Account.Proto;
using SignalSharp.Account.Receiving;
using SignalSharp.Store;
using SignalSharp.Store.Conversations;

namespace SignalSharp.Account.Sending;

/// <summary>
/// The disappearing-messages timer of each conversation: learned from what arrives (a contact's messages carry the
/// timer and, 1:1, Signal's version counter; our phone's Sent transcripts carry ours), changed by the account itself,
/// and stamped on every outgoing message so that it disappears on every device as the people in it chose. A 1:1
/// change is versioned (an older version never overrides a newer one); a group's timer is the group's own setting,
/// which its members' messages carry.
/// </summary>
internal sealed class ConversationTimers(AccountDatabase db, Guid ownAci)
{
    /// <summary>DataMessage.Flags.EXPIRATION_TIMER_UPDATE.</summary>
    private const uint ExpirationTimerUpdate = 2;

    /// <summary>The conversation key of a 1:1 conversation: the other person's ACI.</summary>
    public static byte[] Key(Guid aci) => aci.ToByteArray(bigEndian: true);

    /// <summary>Stamps an outgoing message with its conversation's timer (and, 1:1, its version).</summary>
    public async Task ApplyAsync(byte[] conversation, bool isGroup, DataMessage data, CancellationToken cancellationToken)
    {
        var timer = await CurrentAsync(conversation, isGroup, cancellationToken).ConfigureAwait(false);
        if (timer.Seconds > 0)
        {
            data.ExpireTimer = timer.Seconds;
        }

        if (!isGroup && timer.Version > 0)
        {
            data.ExpireTimerVersion = timer.Version;
        }
    }

    /// <summary>
    /// The timer-update message that sets a 1:1 conversation's timer to <paramref name="seconds"/>, with the next
    /// version; the new timer is remembered at once (our own change always wins over what we knew).
    /// </summary>
    public async Task<DataMessage> ChangeAsync(byte[] conversation, uint seconds, CancellationToken cancellationToken)
    {
        var current = await CurrentAsync(conversation, isGroup: false, cancellationToken).ConfigureAwait(false);
        var next = new ExpirationTimer(seconds, current.Version + 1);
        await db.ExpirationTimers.SetAsync(conversation, next, force: true, cancellationToken).ConfigureAwait(false);
        return new DataMessage
        {
            Timestamp = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            Flags = ExpirationTimerUpdate,
            ExpireTimer = seconds,
            ExpireTimerVersion = next.Version,
        };
    }

    /// <summary>Learns a timer from committed content: a contact's message, or a Sent transcript from our own phone.</summary>
    public async Task OnContentAsync(Guid sender, Content content, CancellationToken cancellationToken)
    {
        if (sender != ownAci && content.DataMessage is { } data)
        {
            await RememberAsync(GroupMessages.GroupIdOf(data.GroupV2) ?? Key(sender), data, cancellationToken).ConfigureAwait(false);
        }
        else if (sender == ownAci && content.SyncMessage?.Sent is { Message: { } sent } transcript)
        {
            var conversation = GroupMessages.GroupIdOf(sent.GroupV2) ?? DestinationKey(transcript);
            if (conversation is not null)
            {
                await RememberAsync(conversation, sent, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task RememberAsync(byte[] conversation, DataMessage data, CancellationToken cancellationToken)
    {
        var isUpdate = (data.Flags & ExpirationTimerUpdate) != 0;
        if (data.GroupV2 is not null)
        {
            // Every group message carries the group's timer; the group's state, not a counter, decides it.
            await db.ExpirationTimers.SetAsync(conversation, new ExpirationTimer(data.ExpireTimer, 0), force: true, cancellationToken).ConfigureAwait(false);
        }
        else if (data.HasExpireTimerVersion)
        {
            await db.ExpirationTimers.SetAsync(conversation, new ExpirationTimer(data.ExpireTimer, data.ExpireTimerVersion), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }
        else if (isUpdate)
        {
            // A client that keeps no version: its explicit change is taken, the counter moved past ours.
            var current = await db.ExpirationTimers.GetAsync(conversation, cancellationToken).ConfigureAwait(false);
            await db.ExpirationTimers.SetAsync(conversation, new ExpirationTimer(data.ExpireTimer, (current?.Version ?? 1) + 1), force: true, cancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <summary>
    /// What the account knows: the stored timer, else (1:1) the timer the phone's contact sync gave or none, at
    /// version 1 (Signal's apps count a conversation nobody changed as version 1, so the first change is 2).
    /// </summary>
    private async Task<ExpirationTimer> CurrentAsync(byte[] conversation, bool isGroup, CancellationToken cancellationToken)
    {
        if (await db.ExpirationTimers.GetAsync(conversation, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            return stored;
        }

        if (isGroup)
        {
            return default;
        }

        var contact = await db.Contacts.GetByAciAsync(new Guid(conversation, bigEndian: true), cancellationToken).ConfigureAwait(false);
        return new ExpirationTimer(contact?.ExpirationTimerSeconds ?? 0, 1);
    }

    private static byte[]? DestinationKey(SyncMessage.Types.Sent transcript)
    {
        if (transcript.HasDestinationServiceIdBinary && transcript.DestinationServiceIdBinary.Length == 16)
        {
            return transcript.DestinationServiceIdBinary.ToByteArray();
        }

        return Aci.TryParse(transcript.DestinationServiceId, out var aci) ? Key(aci.Uuid) : null;
    }
}
