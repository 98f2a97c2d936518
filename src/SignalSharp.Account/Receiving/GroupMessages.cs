using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using SignalSharp.Account.Proto;
using SignalSharp.Protocol;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.SenderKeys;
using SignalSharp.Store;
using SignalSharp.Store.Protocol;
using SignalSharp.ZkGroup.Groups;

namespace SignalSharp.Account.Receiving;

/// <summary>
/// The group side of receiving: a member's sender key (its SenderKeyDistributionMessage, needed before its
/// sender-key messages decrypt) is stored with the same transaction as the envelope, and a DataMessage's
/// GroupContextV2 names its group by the 32-byte group identifier derived from the master key.
/// </summary>
internal static class GroupMessages
{
    // Deriving the group secret params costs Ristretto work; a master key always gives the same identifier.
    private static readonly ConcurrentDictionary<string, byte[]> Identifiers = new();

    /// <summary>The group identifier of a message's group context, or null when it has none (or a malformed one).</summary>
    public static byte[]? GroupIdOf(DataMessage data) => GroupIdOf(data.GroupV2);

    public static byte[]? GroupIdOf(GroupContextV2? group)
        => group is { HasMasterKey: true } context && context.MasterKey.Length == GroupMasterKey.Length
            ? GroupIdFromMasterKey(context.MasterKey.Span)
            : null;

    public static byte[] GroupIdFromMasterKey(ReadOnlySpan<byte> masterKey)
    {
        var key = Convert.ToBase64String(masterKey);
        if (Identifiers.TryGetValue(key, out var known))
        {
            return known;
        }

        var id = GroupSecretParams.DeriveFromMasterKey(new GroupMasterKey(masterKey)).GroupIdentifier.ToArray();
        Identifiers[key] = id;
        return id;
    }

    /// <summary>
    /// A member's device could not decrypt one of our sender-key messages (a resend request naming no ratchet key):
    /// it lacks our sender key, so the share is forgotten and the next group send distributes it to that device again.
    /// </summary>
    public static async Task ProcessDecryptionErrorAsync(AccountTransaction tx, uint ownDeviceId, Guid sender, uint senderDevice, ByteString bytes, ILogger logger,
        CancellationToken cancellationToken)
    {
        DecryptionErrorMessage error;
        try
        {
            error = DecryptionErrorMessage.Deserialize(bytes.Span);
        }
        catch (Exception e) when (e is ProtocolException or InvalidProtocolBufferException or ArgumentException)
        {
            AccountLog.ResendRequestUnreadable(logger, sender, senderDevice, e.GetType().Name);
            return;
        }

        if (error.RatchetKey is null && error.DeviceId == ownDeviceId)
        {
            var forgotten = await tx.SenderKeyShares.ForgetAsync(sender, senderDevice, cancellationToken).ConfigureAwait(false);
            AccountLog.SenderKeySharesForgotten(logger, sender, senderDevice, forgotten);
        }
    }

    /// <summary>Stores the sender key a member distributed; a malformed one is logged and dropped (the member's later
    /// group messages then fail and ask for a resend, which redistributes it).</summary>
    public static async Task ProcessDistributionAsync(ProtocolStores stores, Guid sender, uint senderDevice, ByteString distribution, ILogger logger,
        CancellationToken cancellationToken)
    {
        try
        {
            var message = SenderKeyDistributionMessage.Deserialize(distribution.Span);
            await new GroupSessionBuilder(stores.SenderKeys).ProcessAsync(new ProtocolAddress(sender.ToString(), senderDevice), message, cancellationToken)
                .ConfigureAwait(false);
            AccountLog.SenderKeyStored(logger, message.DistributionId, sender, senderDevice);
        }
        catch (ProtocolException e)
        {
            AccountLog.SenderKeyDropped(logger, sender, senderDevice, e.GetType().Name);
        }
    }
}
