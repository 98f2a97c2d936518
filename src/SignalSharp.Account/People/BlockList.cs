using Google.Protobuf;
using Microsoft.Extensions.Logging;
using SignalSharp.Account.Api;
using SignalSharp.Account.Proto;
using SignalSharp.Account.Sending;
using SignalSharp.Account.Storage;
using SignalSharp.Account.StorageService;
using SignalSharp.Service.Api;
using SignalSharp.Store;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.People;

/// <summary>
/// The user's blocked people and groups. Blocking changes the stored list and then tells the account's other
/// devices the whole list (SyncMessage.Blocked), as Signal's apps do; a blocked-list sync from our own primary
/// replaces the stored list; the change is also written to the storage service (<see cref="StorageWriteBack"/>). The receive path drops what a blocked sender or group sends (see
/// <see cref="Receiving.BlockFilter"/>), after which the envelope is acked like any other.
/// </summary>
internal sealed class BlockList(AccountDatabase db, AccountRecord record, RecipientResolver recipients, OwnDeviceSync ownDevices, StorageWriteBack storage, ILogger logger)
{
    public async Task SetAsync(IReadOnlyList<RecipientAddress> people, IReadOnlyList<GroupId> groups, bool blocked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(people);
        ArgumentNullException.ThrowIfNull(groups);
        var acis = new List<Guid>(people.Count);
        foreach (var person in people)
        {
            acis.Add(await recipients.ResolveAsync(person, cancellationToken).ConfigureAwait(false));
        }

        var rows = new List<Store.Recipients.Recipient>(acis.Count);
        foreach (var aci in acis)
        {
            var recipient = await db.Recipients.GetOrCreateByAciAsync(aci, cancellationToken).ConfigureAwait(false);
            await db.Contacts.SetBlockedAsync(recipient.Id, blocked, cancellationToken).ConfigureAwait(false);
            rows.Add(recipient);
        }

        var masterKeys = new List<byte[]>(groups.Count);
        foreach (var group in groups)
        {
            await db.BlockedGroups.SetAsync(group.Bytes.ToArray(), blocked, cancellationToken).ConfigureAwait(false);
            if (await db.Groups.GetAsync(group.Bytes.ToArray(), cancellationToken).ConfigureAwait(false) is { } known)
            {
                masterKeys.Add(known.MasterKey);
            }
        }

        try
        {
            await SyncToOwnDevicesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The block holds here either way; the other devices learn the list with the next change.
            PeopleLog.BlockedListSyncFailed(logger, e.GetType().Name);
        }

        // A group only known by its id (never fetched) has no record to write: storage names groups by master key.
        await storage.BlockedAsync(rows, masterKeys, blocked, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the whole blocked list to the account's other devices.</summary>
    public async Task SyncToOwnDevicesAsync(CancellationToken cancellationToken)
    {
        var list = new SyncMessage.Types.Blocked();
        foreach (var contact in (await db.Contacts.ListAsync(cancellationToken).ConfigureAwait(false)).Where(c => c.Blocked))
        {
            if (contact.Recipient.Aci is { } aci)
            {
                list.Acis.Add(aci.ToString());
                list.AcisBinary.Add(ByteString.CopyFrom(aci.ToByteArray(bigEndian: true)));
            }

            if (contact.Recipient.E164 is { } number)
            {
                list.Numbers.Add(number);
            }
        }

        foreach (var group in await db.BlockedGroups.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            list.GroupIds.Add(ByteString.CopyFrom(group));
        }

        await ownDevices.SendAsync(new SyncMessage { Blocked = list }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A blocked-list sync from our own device: the list it carries is the list now.</summary>
    public async Task OnContentAsync(Guid sender, Content content, CancellationToken cancellationToken)
    {
        if (sender != record.Aci || content.SyncMessage?.Blocked is not { } list)
        {
            return;
        }

        var ids = new HashSet<long>();
        var acis = list.AcisBinary.Where(b => b.Length == 16).Select(b => new Guid(b.Span, bigEndian: true))
            .Concat(list.Acis.Select(text => Guid.TryParse(text, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty));
        foreach (var aci in acis.Distinct())
        {
            ids.Add((await db.Recipients.GetOrCreateByAciAsync(aci, cancellationToken).ConfigureAwait(false)).Id);
        }

        foreach (var number in list.Numbers.Where(n => n.StartsWith('+')))
        {
            ids.Add((await db.Recipients.ResolveAsync(null, null, number, cancellationToken).ConfigureAwait(false)).Id);
        }

        await db.Contacts.ReplaceBlockedAsync(ids, cancellationToken).ConfigureAwait(false);
        await db.BlockedGroups.ReplaceAsync([.. list.GroupIds.Where(g => g.Length == GroupId.Length).Select(g => g.ToByteArray())], cancellationToken).ConfigureAwait(false);
        PeopleLog.BlockedListSynced(logger, ids.Count, list.GroupIds.Count);
    }
}
