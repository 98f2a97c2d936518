using Google.Protobuf;
using SignalSharp.Account.Proto.Storage;
using SignalSharp.Account.StorageService;
using SignalSharp.Store.Recipients;

namespace SignalSharp.Account.Tests.StorageService;

/// <summary>
/// What a primary puts into the manifest it creates, and what it adds when another device created one first (the
/// 409 merge; MockPrimaryStorageTests shows the whole write against the mock): every record from nothing, and on a
/// state another device wrote only what that state lacks, with what it has left untouched.
/// </summary>
public sealed class StorageSeedTests
{
    private static readonly byte[] OwnProfileKey = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private static readonly Recipient Alice = new(1, Guid.Parse("4a1f6c7e-2b3d-4e5f-8a9b-0c1d2e3f4a5b"), Guid.Parse("5b2a7d8f-3c4e-4f6a-9b0c-1d2e3f4a5b6c"),
        "+15550001111", [.. Enumerable.Repeat((byte)7, 32)], "Alice", "Liddell");
    private static readonly Recipient Bob = new(2, Guid.Parse("6c3b8e9a-4d5f-4a7b-8c1d-2e3f4a5b6c7d"), null, null, null, null, null);
    private static readonly byte[] GroupKey = [.. Enumerable.Repeat((byte)9, 32)];
    private static readonly byte[] OtherGroupKey = [.. Enumerable.Repeat((byte)10, 32)];

    private static readonly StorageSeed Seed = new(OwnProfileKey, "Ada", "Lovelace",
        [new SeedContact(Alice, "Ally", Blocked: true), new SeedContact(Bob, null, Blocked: false)],
        [new SeedGroup(GroupKey, Blocked: false), new SeedGroup(OtherGroupKey, Blocked: true)]);

    [Fact]
    public void From_nothing_it_makes_the_account_record_and_one_record_per_contact_and_group()
    {
        var edit = Seed.AddMissing([]);

        Assert.Empty(edit.Replaced);
        Assert.Equal(
            [StorageWriter.TypeAccount, StorageWriter.TypeContact, StorageWriter.TypeContact, StorageWriter.TypeGroupV2, StorageWriter.TypeGroupV2],
            edit.Added.Select(a => a.Type));
        var account = edit.Added[0].Record.Account;
        Assert.Equal(OwnProfileKey, account.ProfileKey.ToByteArray());
        Assert.Equal(("Ada", "Lovelace"), (account.GivenName, account.FamilyName));

        var alice = edit.Added[1].Record.Contact;
        Assert.Equal(Alice.Aci, new Guid(alice.AciBinary.Span, bigEndian: true));
        Assert.Equal(Alice.Pni, new Guid(alice.PniBinary.Span, bigEndian: true));
        Assert.Equal("+15550001111", alice.E164);
        Assert.Equal(Alice.ProfileKey, alice.ProfileKey.ToByteArray());
        Assert.Equal(("Alice", "Liddell", "Ally"), (alice.GivenName, alice.FamilyName, alice.SystemGivenName));
        Assert.True(alice.Blocked);
        Assert.False(alice.Whitelisted);

        var bob = edit.Added[2].Record.Contact;
        Assert.Equal(Bob.Aci, new Guid(bob.AciBinary.Span, bigEndian: true));
        Assert.True(bob.ProfileKey.IsEmpty && bob.PniBinary.IsEmpty && bob.E164.Length == 0);
        Assert.False(bob.Blocked);
        Assert.True(bob.Whitelisted);

        Assert.Equal(GroupKey, edit.Added[3].Record.GroupV2.MasterKey.ToByteArray());
        Assert.True(edit.Added[3].Record.GroupV2.Whitelisted);
        Assert.Equal(OtherGroupKey, edit.Added[4].Record.GroupV2.MasterKey.ToByteArray());
        Assert.True(edit.Added[4].Record.GroupV2.Blocked);
    }

    [Fact]
    public void On_what_another_device_wrote_it_adds_only_what_is_missing()
    {
        // The other device has an account record, Alice by her PNI alone (not blocked there), and one of the groups.
        var theirs = new List<StorageEntry>
        {
            new(Id(), StorageWriter.TypeAccount, new StorageRecordMessage { Account = new AccountRecordMessage { GivenName = "Theirs" } }),
            new(Id(), StorageWriter.TypeContact, new StorageRecordMessage
            {
                Contact = new ContactRecordMessage { PniBinary = ByteString.CopyFrom(Alice.Pni!.Value.ToByteArray(bigEndian: true)) },
            }),
            new(Id(), StorageWriter.TypeGroupV2, new StorageRecordMessage { GroupV2 = new GroupV2RecordMessage { MasterKey = ByteString.CopyFrom(GroupKey) } }),
        };

        var edit = Seed.AddMissing(theirs);

        Assert.Empty(edit.Replaced);
        Assert.Equal([StorageWriter.TypeContact, StorageWriter.TypeGroupV2], edit.Added.Select(a => a.Type));
        Assert.Equal(Bob.Aci, new Guid(edit.Added[0].Record.Contact.AciBinary.Span, bigEndian: true));
        Assert.Equal(OtherGroupKey, edit.Added[1].Record.GroupV2.MasterKey.ToByteArray());
        Assert.False(theirs[1].Record.Contact.Blocked);

        // Everything there already: nothing to write.
        var all = theirs.Concat(edit.Added.Select(a => new StorageEntry(Id(), a.Type, a.Record))).ToList();
        Assert.True(Seed.AddMissing(all).IsEmpty);
    }

    private static byte[] Id() => Guid.NewGuid().ToByteArray();
}
