using Google.Protobuf;
using SignalSharp.Account.Proto.Storage;
using SignalSharp.Store.Recipients;

namespace SignalSharp.Account.StorageService;

/// <summary>
/// The account's own changes as edits of storage records, with the merge rules of Signal's apps: the record another
/// device wrote is the base and only the fields the change is about are set (every other field, unknown ones
/// included, stays as written); a person or group without a record gets a new one. Blocking turns profile sharing
/// off and unblocking turns it on, as Signal's apps do when the user blocks or unblocks.
/// </summary>
internal static class StorageRecordEdits
{
    public static void SetContactBlocked(IReadOnlyList<StorageEntry> entries, StorageEdit edit, Recipient contact, bool blocked)
    {
        var found = Contacts(entries, contact);
        foreach (var entry in found)
        {
            Replace(edit, entry, r => r.Contact.Blocked != blocked || r.Contact.Whitelisted == blocked, r =>
            {
                r.Contact.Blocked = blocked;
                r.Contact.Whitelisted = !blocked;
            });
        }

        if (found.Count == 0 && contact.Aci is not null)
        {
            var record = NewContact(contact);
            record.Blocked = blocked;
            record.Whitelisted = !blocked;
            edit.Added.Add((StorageWriter.TypeContact, new StorageRecordMessage { Contact = record }));
        }
    }

    /// <summary>The name the user gave the contact (null removes it), kept as the contact's system name.</summary>
    public static void SetContactName(IReadOnlyList<StorageEntry> entries, StorageEdit edit, Recipient contact, string? name)
    {
        var given = name ?? "";
        var found = Contacts(entries, contact);
        foreach (var entry in found)
        {
            Replace(edit, entry, r => r.Contact.SystemGivenName != given || r.Contact.SystemFamilyName.Length > 0, r =>
            {
                r.Contact.SystemGivenName = given;
                r.Contact.SystemFamilyName = "";
            });
        }

        if (found.Count == 0 && contact.Aci is not null && given.Length > 0)
        {
            var record = NewContact(contact);
            record.SystemGivenName = given;
            record.Whitelisted = true;
            edit.Added.Add((StorageWriter.TypeContact, new StorageRecordMessage { Contact = record }));
        }
    }

    public static void SetGroupBlocked(IReadOnlyList<StorageEntry> entries, StorageEdit edit, byte[] masterKey, bool blocked)
    {
        var found = Groups(entries, masterKey);
        foreach (var entry in found)
        {
            Replace(edit, entry, r => r.GroupV2.Blocked != blocked || r.GroupV2.Whitelisted == blocked, r =>
            {
                r.GroupV2.Blocked = blocked;
                r.GroupV2.Whitelisted = !blocked;
            });
        }

        if (found.Count == 0)
        {
            var record = new GroupV2RecordMessage { MasterKey = ByteString.CopyFrom(masterKey), Blocked = blocked, Whitelisted = !blocked };
            edit.Added.Add((StorageWriter.TypeGroupV2, new StorageRecordMessage { GroupV2 = record }));
        }
    }

    /// <summary>A group the account created or joined: listed (and shared with) unless storage has it already.</summary>
    public static void AddGroup(IReadOnlyList<StorageEntry> entries, StorageEdit edit, byte[] masterKey)
    {
        if (Groups(entries, masterKey).Count == 0)
        {
            var record = new GroupV2RecordMessage { MasterKey = ByteString.CopyFrom(masterKey), Whitelisted = true };
            edit.Added.Add((StorageWriter.TypeGroupV2, new StorageRecordMessage { GroupV2 = record }));
        }
    }

    /// <summary>
    /// The account's own profile name, avatar path (<paramref name="avatarPath"/>: the new one, empty when removed,
    /// null when unchanged) and profile key (<paramref name="profileKey"/>: a rotated one, null when unchanged) in its
    /// account record. Only a record that exists is changed: the primary device creates the account record, a linked
    /// device never starts one.
    /// </summary>
    public static void SetOwnProfile(IReadOnlyList<StorageEntry> entries, StorageEdit edit, string givenName, string? familyName, string? avatarPath, byte[]? profileKey = null)
    {
        var family = familyName ?? "";
        foreach (var entry in entries.Where(e => e.Record.RecordCase == StorageRecordMessage.RecordOneofCase.Account))
        {
            Replace(edit, entry, r => r.Account.GivenName != givenName || r.Account.FamilyName != family || (avatarPath is not null && r.Account.AvatarUrlPath != avatarPath)
                || (profileKey is not null && !r.Account.ProfileKey.Span.SequenceEqual(profileKey)), r =>
            {
                r.Account.GivenName = givenName;
                r.Account.FamilyName = family;
                if (avatarPath is not null)
                {
                    r.Account.AvatarUrlPath = avatarPath;
                }

                if (profileKey is not null)
                {
                    r.Account.ProfileKey = ByteString.CopyFrom(profileKey);
                }
            });
        }
    }

    /// <summary>
    /// The contact's records: by ACI; a record without an ACI by PNI; one with neither by number (older clients
    /// and the phone's address book write such records, and Signal's apps merge them the same way).
    /// </summary>
    internal static List<StorageEntry> Contacts(IReadOnlyList<StorageEntry> entries, Recipient contact) =>
    [
        .. entries.Where(e => e.Record.RecordCase == StorageRecordMessage.RecordOneofCase.Contact && Matches(e.Record.Contact, contact)),
    ];

    private static bool Matches(ContactRecordMessage record, Recipient contact)
    {
        if (StorageReader.ServiceId(record.AciBinary, record.Aci) is { } aci)
        {
            return contact.Aci == aci;
        }

        if (StorageReader.ServiceId(record.PniBinary, record.Pni) is { } pni)
        {
            return contact.Pni == pni;
        }

        return record.E164.Length > 0 && record.E164 == contact.E164;
    }

    internal static List<StorageEntry> Groups(IReadOnlyList<StorageEntry> entries, byte[] masterKey) =>
    [
        .. entries.Where(e => e.Record.RecordCase == StorageRecordMessage.RecordOneofCase.GroupV2 && e.Record.GroupV2.MasterKey.Span.SequenceEqual(masterKey)),
    ];

    internal static ContactRecordMessage NewContact(Recipient contact)
    {
        var aci = contact.Aci!.Value;
        var record = new ContactRecordMessage
        {
            Aci = aci.ToString(),
            AciBinary = ByteString.CopyFrom(aci.ToByteArray(bigEndian: true)),
            E164 = contact.E164 ?? "",
        };
        if (contact.Pni is { } pni)
        {
            record.PniBinary = ByteString.CopyFrom(pni.ToByteArray(bigEndian: true));
        }

        if (contact.ProfileKey is { Length: 32 } profileKey)
        {
            record.ProfileKey = ByteString.CopyFrom(profileKey);
        }

        return record;
    }

    /// <summary>
    /// Changes an entry's record when <paramref name="differs"/> says the change is not already there; a record the
    /// same edit already replaced is changed in place, so two changes to one record make one new record.
    /// </summary>
    private static void Replace(StorageEdit edit, StorageEntry entry, Func<StorageRecordMessage, bool> differs, Action<StorageRecordMessage> change)
    {
        var index = edit.Replaced.FindIndex(r => ReferenceEquals(r.Old, entry));
        var current = index >= 0 ? edit.Replaced[index].New : entry.Record;
        if (!differs(current))
        {
            return;
        }

        var changed = current.Clone();
        change(changed);
        if (index >= 0)
        {
            edit.Replaced[index] = (entry, changed);
        }
        else
        {
            edit.Replaced.Add((entry, changed));
        }
    }
}
