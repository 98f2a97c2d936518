using Google.Protobuf;
using SignalSharp.Account.Proto.Storage;
using SignalSharp.Account.Storage;
using SignalSharp.Store;
using SignalSharp.Store.Recipients;

namespace SignalSharp.Account.StorageService;

/// <summary>A person the account knows, as its storage record would show them: the user's name for them and whether they are blocked.</summary>
internal sealed record SeedContact(Recipient Recipient, string? Name, bool Blocked);

/// <summary>A group the account knows: its master key (what storage names groups by) and whether it is blocked.</summary>
internal sealed record SeedGroup(byte[] MasterKey, bool Blocked);

/// <summary>
/// What a primary device knows that Signal keeps in the storage service, read from its database: its own profile key
/// and name, the people it knows (everyone on the contact list, and everyone whose profile key it holds) and its
/// groups. It is what the primary's first manifest holds (<see cref="StorageWriter.CreateAsync"/>); applied to a state
/// another device wrote, it adds only what that state lacks and changes nothing there.
/// </summary>
internal sealed record StorageSeed(byte[]? ProfileKey, string? GivenName, string? FamilyName, IReadOnlyList<SeedContact> Contacts, IReadOnlyList<SeedGroup> Groups)
{
    public static async Task<StorageSeed> LoadAsync(AccountDatabase db, AccountRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(record);
        var contacts = new List<SeedContact>();
        var seen = new HashSet<Guid> { record.Aci };
        foreach (var contact in await db.Contacts.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (contact.Recipient.Aci is { } aci && seen.Add(aci))
            {
                contacts.Add(new SeedContact(contact.Recipient, contact.Name, contact.Blocked));
            }
        }

        foreach (var recipient in await db.Recipients.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (recipient is { Aci: { } aci, ProfileKey.Length: 32 } && seen.Add(aci))
            {
                contacts.Add(new SeedContact(recipient, null, Blocked: false));
            }
        }

        var blockedGroups = (await db.BlockedGroups.ListAsync(cancellationToken).ConfigureAwait(false)).Select(Convert.ToHexString).ToHashSet();
        var groups = (await db.Groups.ListAsync(cancellationToken).ConfigureAwait(false))
            .Select(g => new SeedGroup(g.MasterKey, blockedGroups.Contains(Convert.ToHexString(g.GroupId))))
            .ToList();
        return new StorageSeed(
            record.ProfileKey,
            await db.Settings.GetStringAsync(Profiles.OwnProfileWriter.KeyGiven, cancellationToken).ConfigureAwait(false),
            await db.Settings.GetStringAsync(Profiles.OwnProfileWriter.KeyFamily, cancellationToken).ConfigureAwait(false),
            contacts,
            groups);
    }

    /// <summary>
    /// The records <paramref name="entries"/> lack: the account record when there is none, a contact record for each
    /// person without one (found as <see cref="StorageRecordEdits.Contacts"/> finds them) and a group record for
    /// each group without one. A record that exists is left as it is, even where it says otherwise.
    /// </summary>
    public StorageEdit AddMissing(IReadOnlyList<StorageEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var edit = new StorageEdit();
        if (!entries.Any(e => e.Record.RecordCase == StorageRecordMessage.RecordOneofCase.Account))
        {
            var account = new AccountRecordMessage { GivenName = GivenName ?? "", FamilyName = FamilyName ?? "" };
            if (ProfileKey is { Length: 32 } profileKey)
            {
                account.ProfileKey = ByteString.CopyFrom(profileKey);
            }

            edit.Added.Add((StorageWriter.TypeAccount, new StorageRecordMessage { Account = account }));
        }

        foreach (var contact in Contacts.Where(c => StorageRecordEdits.Contacts(entries, c.Recipient).Count == 0))
        {
            var record = StorageRecordEdits.NewContact(contact.Recipient);
            record.GivenName = contact.Recipient.GivenName ?? "";
            record.FamilyName = contact.Recipient.FamilyName ?? "";
            record.SystemGivenName = contact.Name ?? "";
            record.Blocked = contact.Blocked;
            record.Whitelisted = !contact.Blocked;
            edit.Added.Add((StorageWriter.TypeContact, new StorageRecordMessage { Contact = record }));
        }

        foreach (var group in Groups.Where(g => StorageRecordEdits.Groups(entries, g.MasterKey).Count == 0))
        {
            var record = new GroupV2RecordMessage { MasterKey = ByteString.CopyFrom(group.MasterKey), Blocked = group.Blocked, Whitelisted = !group.Blocked };
            edit.Added.Add((StorageWriter.TypeGroupV2, new StorageRecordMessage { GroupV2 = record }));
        }

        return edit;
    }
}
