using System.Security.Cryptography;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using SignalSharp.Account.Proto;
using SignalSharp.Account.Storage;
using SignalSharp.Protocol;
using SignalSharp.Protocol.Messages;
using SignalSharp.Store;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.Sending;

/// <summary>
/// Answers a contact's resend request (a DecryptionErrorMessage) for one of our 1:1 messages, as Signal's apps do:
/// when the request names the ratchet key our session with that device still sends with, that session is the broken
/// one and is archived (the next message starts a new one from the contact's pre-keys); then the message goes out
/// again from the send log, with its original timestamp, or, when it is no longer logged, a null message rebuilds
/// the session. Requests about group (sender-key) messages name no ratchet key and are handled elsewhere.
/// </summary>
/// <remarks>
/// Signal's apps keep sent messages for resends up to 14 days (a remote setting); this daemon keeps them for
/// <see cref="SendLogAge"/> only, because the log holds message content at rest.
/// </remarks>
internal sealed class ResendResponder(DirectSender direct, AccountDatabase db, AccountRecord record, SemaphoreSlim protocolGate, ILogger logger,
    CancellationToken stopping)
{
    internal static readonly TimeSpan SendLogAge = TimeSpan.FromHours(24);

    private int answered;

    /// <summary>Resend requests answered (by a resend or a null message) since the start.</summary>
    public int Answered => Volatile.Read(ref answered);

    /// <summary>
    /// Called for committed content, under the protocol gate: a resend request about a message of this device is
    /// answered in the background, once the receiver has let go of the gate.
    /// </summary>
    public void OnContent(Guid sender, uint senderDevice, Content content)
    {
        if (!content.HasDecryptionErrorMessage || sender == record.Aci)
        {
            return;
        }

        DecryptionErrorMessage request;
        try
        {
            request = DecryptionErrorMessage.Deserialize(content.DecryptionErrorMessage.Span);
        }
        catch (Exception e) when (e is ProtocolException or ArgumentException)
        {
            return;
        }

        if (request.DeviceId != record.DeviceId || request.RatchetKey is null)
        {
            return;
        }

        _ = Task.Run(() => AnswerAsync(sender, senderDevice, request), CancellationToken.None);
    }

    private async Task AnswerAsync(Guid sender, uint senderDevice, DecryptionErrorMessage request)
    {
        try
        {
            await protocolGate.WaitAsync(stopping).ConfigureAwait(false);
            try
            {
                var archived = await ArchiveIfBrokenAsync(sender, senderDevice, request.RatchetKey!).ConfigureAwait(false);
                var logged = await db.SendLog.GetAsync(sender, request.Timestamp, SendLogAge, stopping).ConfigureAwait(false);
                string answer;
                if (logged is not null)
                {
                    await direct.DeliverAsync(sender, logged, request.Timestamp, stopping).ConfigureAwait(false);
                    answer = "sent again";
                }
                else if (archived)
                {
                    var nullMessage = new Content { NullMessage = ByteString.CopyFrom(NullMessagePadding()) }.ToByteArray();
                    await direct.DeliverAsync(sender, nullMessage, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), stopping).ConfigureAwait(false);
                    answer = "no longer logged, null message sent";
                }
                else
                {
                    answer = "no longer logged and the session already moved on; nothing to do";
                }

                Interlocked.Increment(ref answered);
                AccountLog.ResendAnswered(logger, sender, senderDevice, request.Timestamp, answer);
            }
            finally
            {
                protocolGate.Release();
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            AccountLog.ResendFailed(logger, sender, senderDevice, e.GetType().Name);
        }
    }

    private async Task<bool> ArchiveIfBrokenAsync(Guid sender, uint senderDevice, Crypto.ECPublicKey ratchetKey)
    {
        var sessions = db.ProtocolStores(AccountIdentity.Aci).Sessions;
        var address = new ProtocolAddress(sender.ToString(), senderDevice);
        var session = await sessions.LoadSessionAsync(address, stopping).ConfigureAwait(false);
        if (session is null || !session.CurrentRatchetKeyMatches(ratchetKey))
        {
            return false;
        }

        session.ArchiveCurrentState();
        await sessions.StoreSessionAsync(address, session, stopping).ConfigureAwait(false);
        return true;
    }

    // A NullMessage { padding } of random length, so its size says nothing.
    private static byte[] NullMessagePadding()
    {
        var length = RandomNumberGenerator.GetInt32(1, 128);
        var bytes = new byte[length + 2];
        bytes[0] = 0x0A;
        bytes[1] = (byte)length;
        RandomNumberGenerator.Fill(bytes.AsSpan(2));
        return bytes;
    }
}
