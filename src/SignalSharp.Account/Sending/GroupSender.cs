using System.Diagnostics;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using SignalSharp.Account.Proto;
using SignalSharp.Account.Receiving;
using SignalSharp.Protocol;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.SealedSender;
using SignalSharp.Protocol.SenderKeys;
using SignalSharp.Protocol.Sessions;
using SignalSharp.Service.Api;
using SignalSharp.Store;
using SignalSharp.Store.Groups;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.Sending;

/// <summary>What one group send did: who got it which way, and how long the client itself worked on it.</summary>
internal sealed record GroupSendReport(
    int SenderKeyRecipients,
    int FallbackRecipients,
    int DistributedTo,
    IReadOnlyList<Guid> Unreachable,
    bool MultiRecipient,
    TimeSpan ClientTime,
    TimeSpan Total);

/// <summary>
/// Sends one padded Content to the other full members of a group the way Signal's clients do: the account's sender
/// key for the group is distributed (a SenderKeyDistributionMessage over 1:1 sessions) to the member devices that
/// lack it, then one sender-key message is sealed (v2) for every member device and handed to the server's
/// multi-recipient send, which splits it. Members that cannot take the sender-key path (no registration id to seal
/// for, or the server refused the multi-recipient send) get the Content 1:1 instead. The server's 409/410 answers
/// repair the device lists (new sessions, forgotten shares) and the send is retried.
/// Every call runs under the account's protocol gate: it changes sessions and the sender-key chain.
/// </summary>
internal sealed class GroupSender(
    AccountDatabase db,
    ProtocolStores stores,
    MessageSender oneToOne,
    GroupSendContext context,
    Guid ownAci,
    uint ownDeviceId,
    ILogger logger)
{
    private const int MaxAttempts = 4;

    private readonly ProtocolAddress localAddress = new(ownAci.ToString(), ownDeviceId);

    public async Task<GroupSendReport> SendAsync(GroupRecord group, byte[] content, ulong timestamp, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var serverTime = TimeSpan.Zero;
        var recipients = group.Members.Select(m => m.Aci).Where(a => a != ownAci).Distinct().ToList();
        var padded = ContentPadding.Pad(content);
        var distributionId = await db.SenderKeyShares.GetOrCreateDistributionIdAsync(group.GroupId, cancellationToken).ConfigureAwait(false);
        var unreachable = new List<Guid>();
        var fallback = new List<Guid>();
        var distributed = 0;
        var multiUsed = false;
        var senderKeyRecipients = new List<Guid>();

        if (context.MultiRecipient is null)
        {
            fallback.AddRange(recipients); // No multi-recipient send: a sender key would reach no one.
        }

        for (var attempt = 0; attempt < MaxAttempts && fallback.Count + unreachable.Count < recipients.Count; attempt++)
        {
            // Devices per member from our sessions; members without any get sessions from their pre-key bundles.
            var devices = new Dictionary<Guid, IReadOnlyList<uint>>();
            foreach (var member in recipients)
            {
                if (unreachable.Contains(member) || fallback.Contains(member))
                {
                    continue;
                }

                var known = await stores.Sessions.GetDeviceIdsAsync(member.ToString(), cancellationToken).ConfigureAwait(false);
                if (known.Count == 0)
                {
                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        known = await oneToOne.FetchSessionsAsync(member.ToString(), null, false, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Service.Api.UnknownRecipientException)
                    {
                        logger.LogInformation("Group member {Member} is not registered; skipped", member);
                        unreachable.Add(member);
                        continue;
                    }
                    finally
                    {
                        serverTime += Stopwatch.GetElapsedTime(started);
                    }
                }

                if (known.Count == 0 || !await HasRegistrationIdsAsync(member, known, cancellationToken).ConfigureAwait(false))
                {
                    fallback.Add(member); // No sealed v2 without a registration id for every device.
                    continue;
                }

                devices[member] = known;
            }

            // Distribution to the devices that lack this sender key.
            var shared = await db.SenderKeyShares.SharedWithAsync(distributionId, cancellationToken).ConfigureAwait(false);
            var needing = devices.Where(d => d.Value.Any(device => !shared.Contains((d.Key, device)))).Select(d => d.Key).ToList();
            if (needing.Count > 0)
            {
                var skdm = await new GroupSessionBuilder(stores.SenderKeys).CreateAsync(localAddress, distributionId, cancellationToken).ConfigureAwait(false);
                var skdmContent = new Content { SenderKeyDistributionMessage = ByteString.CopyFrom(skdm.Serialize()) }.ToByteArray();
                foreach (var member in needing)
                {
                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        await SendOneToOneAsync(member, skdmContent, timestamp, cancellationToken).ConfigureAwait(false);
                        var now = await stores.Sessions.GetDeviceIdsAsync(member.ToString(), cancellationToken).ConfigureAwait(false);
                        await db.SenderKeyShares.MarkSharedAsync(distributionId, now.Select(d => (member, d)), cancellationToken).ConfigureAwait(false);
                        devices[member] = now;
                        distributed++;
                    }
                    catch (Service.Api.UnknownRecipientException)
                    {
                        unreachable.Add(member);
                        devices.Remove(member);
                    }
                    finally
                    {
                        serverTime += Stopwatch.GetElapsedTime(started);
                    }
                }
            }

            senderKeyRecipients = [.. devices.Keys];
            if (senderKeyRecipients.Count == 0)
            {
                break;
            }

            // One sender-key message, sealed v2 for every device of every member.
            var certificate = await context.CertificateAsync(cancellationToken).ConfigureAwait(false);
            var message = await new GroupCipher(stores.SenderKeys).EncryptAsync(localAddress, distributionId, padded, cancellationToken).ConfigureAwait(false);
            var usmc = new UnidentifiedSenderMessageContent(CiphertextMessageType.SenderKey, certificate, message.Serialize(), ContentHint.Resendable, group.GroupId);
            var addresses = devices.OrderBy(d => d.Key).SelectMany(d => d.Value.Order().Select(device => new ProtocolAddress(d.Key.ToString(), device))).ToList();
            var sealedCipher = new SealedSessionCipher(stores.Sessions, stores.IdentityKeys, stores.PreKeys, stores.SignedPreKeys, stores.KyberPreKeys,
                stores.SenderKeys, localAddress);
            var payload = await sealedCipher.MultiRecipientEncryptAsync(addresses, usmc, cancellationToken: cancellationToken).ConfigureAwait(false);
            var token = context.GroupSendToken(group, senderKeyRecipients);

            MultiRecipientOutcome outcome;
            var sending = Stopwatch.GetTimestamp();
            try
            {
                outcome = await context.MultiRecipient!.SendAsync(payload, timestamp, token, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (Service.ServiceException e) when (e is not Service.ServiceAuthenticationException)
            {
                logger.LogInformation("Multi-recipient send not available ({Error}); sending 1:1", e.Message);
                outcome = new MultiRecipientOutcome.Unauthorized(e.Message);
            }
            finally
            {
                serverTime += Stopwatch.GetElapsedTime(sending);
            }

            switch (outcome)
            {
                case MultiRecipientOutcome.Sent sent:
                    multiUsed = true;
                    unreachable.AddRange(sent.Unresolved);
                    senderKeyRecipients.RemoveAll(sent.Unresolved.Contains);
                    attempt = MaxAttempts; // done
                    break;
                case MultiRecipientOutcome.Mismatched mismatched:
                    await RepairAsync(mismatched, cancellationToken).ConfigureAwait(false);
                    if (attempt == MaxAttempts - 1)
                    {
                        throw new SendFailedException("group", $"device lists still mismatched after {MaxAttempts} attempts");
                    }

                    continue;
                case MultiRecipientOutcome.Unauthorized unauthorized:
                    logger.LogInformation("Multi-recipient send refused ({Reason}); sending 1:1", unauthorized.Description);
                    fallback.AddRange(senderKeyRecipients.Where(m => !fallback.Contains(m)));
                    senderKeyRecipients.Clear();
                    attempt = MaxAttempts;
                    break;
            }
        }

        foreach (var member in fallback)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await SendOneToOneAsync(member, content, timestamp, cancellationToken).ConfigureAwait(false);
            }
            catch (Service.Api.UnknownRecipientException)
            {
                unreachable.Add(member);
            }
            finally
            {
                serverTime += Stopwatch.GetElapsedTime(started);
            }
        }

        var elapsed = total.Elapsed;
        return new GroupSendReport(senderKeyRecipients.Count, fallback.Count(m => !unreachable.Contains(m)), distributed, unreachable, multiUsed,
            elapsed - serverTime, elapsed);
    }

    /// <summary>Sealed 1:1 when the member's access key is known, else authenticated; the access key refused falls back too.</summary>
    private async Task SendOneToOneAsync(Guid member, byte[] content, ulong timestamp, CancellationToken cancellationToken)
    {
        var sealedDelivery = await context.SealedDeliveryAsync(member, cancellationToken).ConfigureAwait(false);
        try
        {
            await oneToOne.SendAsync(member, content, timestamp, cancellationToken, sealedDelivery).ConfigureAwait(false);
        }
        catch (Service.ServiceAuthenticationException) when (sealedDelivery is not null)
        {
            await oneToOne.SendAsync(member, content, timestamp, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> HasRegistrationIdsAsync(Guid member, IReadOnlyList<uint> devices, CancellationToken cancellationToken)
    {
        foreach (var device in devices)
        {
            var record = await stores.Sessions.LoadSessionAsync(new ProtocolAddress(member.ToString(), device), cancellationToken).ConfigureAwait(false);
            if (record?.RemoteRegistrationId is null or 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>409/410 of the multi-recipient send: drop extra devices, build sessions for missing ones, re-key stale
    /// ones; a device with a new session has lost our sender key, so it is distributed to again.</summary>
    private async Task RepairAsync(MultiRecipientOutcome.Mismatched mismatched, CancellationToken cancellationToken)
    {
        foreach (var recipient in mismatched.Recipients)
        {
            var name = recipient.ServiceId.ToString();
            logger.LogDebug("Group send mismatch for {Recipient}: missing {Missing}, extra {Extra}, stale {Stale}", name,
                recipient.Missing.Count, recipient.Extra.Count, recipient.Stale.Count);
            foreach (var extra in recipient.Extra)
            {
                await stores.Sessions.DeleteSessionAsync(new ProtocolAddress(name, extra), cancellationToken).ConfigureAwait(false);
                await db.SenderKeyShares.ForgetAsync(recipient.ServiceId, extra, cancellationToken).ConfigureAwait(false);
            }

            foreach (var stale in recipient.Stale)
            {
                await stores.Sessions.DeleteSessionAsync(new ProtocolAddress(name, stale), cancellationToken).ConfigureAwait(false);
                await db.SenderKeyShares.ForgetAsync(recipient.ServiceId, stale, cancellationToken).ConfigureAwait(false);
                await oneToOne.FetchSessionsAsync(name, stale, false, cancellationToken).ConfigureAwait(false);
            }

            foreach (var missing in recipient.Missing)
            {
                await db.SenderKeyShares.ForgetAsync(recipient.ServiceId, missing, cancellationToken).ConfigureAwait(false);
                await oneToOne.FetchSessionsAsync(name, missing, false, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
