using SignalSharp.Account.Api;
using System.Diagnostics;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using SignalSharp.Account.Proto;
using SignalSharp.Account.Messages;
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
    TimeSpan Total,
    TimeSpan StoreTime = default,
    TimeSpan EncryptTime = default,
    bool Endorsed = false);

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
        var holders = await db.SenderKeyShares.SharedWithAsync(distributionId, cancellationToken).ConfigureAwait(false);
        if (holders.Any(h => !recipients.Contains(h.Aci)))
        {
            // Someone who holds this sender key is no longer a member: a new key, so that they cannot read on.
            distributionId = await db.SenderKeyShares.RotateAsync(group.GroupId, cancellationToken).ConfigureAwait(false);
            AccountLog.SenderKeyRotated(logger);
        }

        var unreachable = new HashSet<Guid>();
        var fallback = new HashSet<Guid>();
        var distributed = 0;
        var multiUsed = false;
        var senderKeyRecipients = new List<Guid>();
        var storeTime = TimeSpan.Zero;
        var encryptTime = TimeSpan.Zero;
        var endorsed = false;

        if (context.MultiRecipient is null)
        {
            fallback.UnionWith(recipients); // No multi-recipient send: a sender key would reach no one.
        }

        for (var attempt = 0; attempt < MaxAttempts && fallback.Count + unreachable.Count < recipients.Count; attempt++)
        {
            // Devices per member from our sessions; members without any get sessions from their pre-key bundles.
            var resolving = Stopwatch.GetTimestamp();
            var devices = new Dictionary<Guid, SealedSenderV2Recipient>();
            var candidates = recipients.Where(m => !unreachable.Contains(m) && !fallback.Contains(m)).ToList();
            var loaded = await db.SenderKeyShares.LoadRecipientsAsync(stores.Identity, [.. candidates.Select(m => m.ToString())], cancellationToken)
                .ConfigureAwait(false);
            foreach (var member in candidates)
            {
                var name = member.ToString();
                loaded.TryGetValue(name, out var known);
                if (known is null || known.Sessions.Count == 0)
                {
                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        await oneToOne.FetchSessionsAsync(name, null, false, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (IsMemberFailure(e))
                    {
                        Skip(member, e, unreachable);
                        continue;
                    }
                    finally
                    {
                        serverTime += Stopwatch.GetElapsedTime(started);
                    }

                    known = await LoadAsync(name, cancellationToken).ConfigureAwait(false);
                }

                if (known is { Trusted: false, IdentityKey: not null })
                {
                    // A changed safety number not yet confirmed: nothing goes to it, as for 1:1 sends.
                    AccountLog.GroupMemberUntrusted(logger, member);
                    unreachable.Add(member);
                    continue;
                }

                if (ToRecipient(known) is not { } resolved)
                {
                    fallback.Add(member); // No sealed v2 without the identity key and a registration id for every device.
                    continue;
                }

                devices[member] = resolved;
            }

            // Distribution to the devices that lack this sender key.
            var shared = await db.SenderKeyShares.SharedWithAsync(distributionId, cancellationToken).ConfigureAwait(false);
            var needing = devices.Where(d => d.Value.Devices.Any(device => !shared.Contains((d.Key, device.DeviceId)))).Select(d => d.Key).ToList();
            storeTime += Stopwatch.GetElapsedTime(resolving);
            if (needing.Count > 0)
            {
                var skdm = await new GroupSessionBuilder(stores.SenderKeys).CreateAsync(localAddress, distributionId, cancellationToken).ConfigureAwait(false);
                var skdmContent = new Content { SenderKeyDistributionMessage = ByteString.CopyFrom(skdm.Serialize()) }.ToByteArray();
                // Its own timestamp: recipients tell envelopes apart by (sender, device, timestamp).
                var skdmTimestamp = Math.Min((ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), timestamp - 1);
                foreach (var member in needing)
                {
                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        await SendOneToOneAsync(member, skdmContent, skdmTimestamp, cancellationToken).ConfigureAwait(false);
                        var now = await stores.Sessions.GetDeviceIdsAsync(member.ToString(), cancellationToken).ConfigureAwait(false);
                        await db.SenderKeyShares.MarkSharedAsync(distributionId, now.Select(d => (member, d)), cancellationToken).ConfigureAwait(false);
                        if (ToRecipient(await LoadAsync(member.ToString(), cancellationToken).ConfigureAwait(false)) is { } resolved)
                        {
                            devices[member] = resolved;
                        }
                        else
                        {
                            devices.Remove(member);
                            fallback.Add(member);
                        }

                        distributed++;
                    }
                    catch (Exception e) when (IsMemberFailure(e))
                    {
                        Skip(member, e, unreachable);
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
            var encrypting = Stopwatch.GetTimestamp();
            var message = await new GroupCipher(stores.SenderKeys).EncryptAsync(localAddress, distributionId, padded, cancellationToken).ConfigureAwait(false);
            var usmc = new UnidentifiedSenderMessageContent(CiphertextMessageType.SenderKey, certificate, message.Serialize(), ContentHint.Resendable, group.GroupId);
            var payload = await new SealedSenderCipher(stores.IdentityKeys).MultiRecipientEncryptAsync([.. devices.Values], usmc, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            var token = context.GroupSendToken(group, senderKeyRecipients);
            endorsed = token.Length > 0;
            encryptTime += Stopwatch.GetElapsedTime(encrypting);

            MultiRecipientOutcome outcome;
            var sending = Stopwatch.GetTimestamp();
            try
            {
                outcome = await context.MultiRecipient!.SendAsync(payload, timestamp, token, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (Service.ServiceException e) when (e is not Service.ServiceAuthenticationException)
            {
                AccountLog.MultiRecipientUnavailable(logger, e.GetType().Name);
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
                    unreachable.UnionWith(sent.Unresolved);
                    senderKeyRecipients.RemoveAll(sent.Unresolved.Contains);
                    attempt = MaxAttempts; // done
                    break;
                case MultiRecipientOutcome.Mismatched mismatched:
                    await RepairAsync(mismatched, unreachable, cancellationToken).ConfigureAwait(false);
                    if (attempt == MaxAttempts - 1)
                    {
                        throw new SendFailedException("group", $"device lists still mismatched after {MaxAttempts} attempts");
                    }

                    continue;
                case MultiRecipientOutcome.Unauthorized unauthorized:
                    AccountLog.MultiRecipientRefused(logger, unauthorized.Description);
                    fallback.UnionWith(senderKeyRecipients);
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
            catch (Exception e) when (IsMemberFailure(e))
            {
                Skip(member, e, unreachable);
            }
            finally
            {
                serverTime += Stopwatch.GetElapsedTime(started);
            }
        }

        var reached = senderKeyRecipients.Count + fallback.Count(m => !unreachable.Contains(m));
        if (reached == 0 && recipients.Count > 0)
        {
            // Partial delivery is success; none at all is not (the reasons were logged per member).
            throw new SendFailedException("group", $"none of its {recipients.Count} other members could be reached");
        }

        var elapsed = total.Elapsed;
        return new GroupSendReport(senderKeyRecipients.Count, fallback.Count(m => !unreachable.Contains(m)), distributed, [.. unreachable], multiUsed,
            elapsed - serverTime, elapsed, storeTime, encryptTime, endorsed);
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

    /// <summary>
    /// Failures that concern one member only (not registered, rate-limited toward them, an unconfirmed safety
    /// number, a device list that would not settle): that member is skipped and the others still get the message.
    /// Connection, authentication and timeout failures concern every member and end the send.
    /// </summary>
    private static bool IsMemberFailure(Exception e) => e is UnregisteredRecipientException or Service.Api.RateLimitChallengeException
        or Service.Api.UnexpectedResponseException or UntrustedIdentityException or SendFailedException;

    private void Skip(Guid member, Exception e, HashSet<Guid> unreachable)
    {
        // The reason is the server's status or the protocol's verdict, never the message.
        AccountLog.GroupMemberSkipped(logger, member, e.GetType().Name);
        unreachable.Add(member);
    }

    private async Task<RecipientSessions?> LoadAsync(string name, CancellationToken cancellationToken)
        => (await db.SenderKeyShares.LoadRecipientsAsync(stores.Identity, [name], cancellationToken).ConfigureAwait(false)).GetValueOrDefault(name);

    /// <summary>A member as sealed sender v2 needs it: identity key and each device's registration id (from its
    /// session); null when either is missing.</summary>
    private static SealedSenderV2Recipient? ToRecipient(RecipientSessions? known)
    {
        if (known is not { IdentityKey: { } identityKey, Sessions.Count: > 0 })
        {
            return null;
        }

        var list = new List<(uint, uint)>(known.Sessions.Count);
        foreach (var (device, bytes) in known.Sessions)
        {
            if (SessionRecord.Deserialize(bytes).RemoteRegistrationId is not { } registrationId || registrationId == 0)
            {
                return null;
            }

            list.Add((device, registrationId));
        }

        return new SealedSenderV2Recipient(known.Name, IdentityKey.Deserialize(identityKey).PublicKey, list);
    }

    /// <summary>409/410 of the multi-recipient send: drop extra devices, build sessions for missing ones, re-key stale
    /// ones; a device with a new session has lost our sender key, so it is distributed to again.</summary>
    private async Task RepairAsync(MultiRecipientOutcome.Mismatched mismatched, HashSet<Guid> unreachable, CancellationToken cancellationToken)
    {
        foreach (var recipient in mismatched.Recipients)
        {
            try
            {
                await RepairAsync(recipient, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsMemberFailure(e))
            {
                // A member whose new devices cannot be fetched (gone, rate-limited) is left out of the retry.
                Skip(recipient.ServiceId, e, unreachable);
            }
        }
    }

    private async Task RepairAsync(RecipientDeviceMismatch recipient, CancellationToken cancellationToken)
    {
        var name = recipient.ServiceId.ToString();
        AccountLog.GroupSendMismatch(logger, name, recipient.Missing.Count, recipient.Extra.Count, recipient.Stale.Count);
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
