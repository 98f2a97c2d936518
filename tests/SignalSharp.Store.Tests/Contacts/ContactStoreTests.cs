using SignalSharp.Store.Contacts;

namespace SignalSharp.Store.Tests.Contacts;

public sealed class ContactStoreTests
{
    private static readonly Guid AliceAci = Guid.Parse("aaaaaaaa-0000-4000-8000-000000000001");
    private static readonly Guid BobAci = Guid.Parse("bbbbbbbb-0000-4000-8000-000000000002");

    [Fact]
    public async Task A_contact_sync_records_numbers_ACIs_profile_keys_and_details()
    {
        await using var t = await TestDatabase.OpenAsync();
        var contacts = await t.Db.Contacts.ApplySyncAsync(
        [
            new ContactSyncEntry(AliceAci, "+15550000001", "Alice", ProfileKey: [7, 7, 7], Color: "ultramarine", ExpirationTimerSeconds: 3600, InboxPosition: 2),
            new ContactSyncEntry(BobAci, "+15550000002", "Bob", Blocked: true, Archived: true, InboxPosition: 1),
            new ContactSyncEntry(null, null, "nobody"), // no address: skipped
        ], complete: true);
        Assert.Equal(2, contacts.Count);

        var alice = await t.Db.Contacts.GetByE164Async("+15550000001");
        Assert.NotNull(alice);
        Assert.Equal(AliceAci, alice.Recipient.Aci);
        Assert.Equal("Alice", alice.Name);
        Assert.Equal(new byte[] { 7, 7, 7 }, alice.Recipient.ProfileKey);
        Assert.Equal("ultramarine", alice.Color);
        Assert.Equal(3600u, alice.ExpirationTimerSeconds);
        Assert.False(alice.Blocked);
        var bob = await t.Db.Contacts.GetByAciAsync(BobAci);
        Assert.NotNull(bob);
        Assert.True(bob.Blocked);
        Assert.True(bob.Archived);
        // Listed by inbox position.
        Assert.Equal(["Bob", "Alice"], (await t.Db.Contacts.ListAsync()).Select(c => c.Name));
        // The send path resolves a number to an ACI through the recipients.
        Assert.Equal(AliceAci, (await t.Db.Recipients.GetByE164Async("+15550000001"))!.Aci);
    }

    [Fact]
    public async Task A_complete_sync_drops_contacts_missing_from_it_but_keeps_their_recipients()
    {
        await using var t = await TestDatabase.OpenAsync();
        await t.Db.Contacts.ApplySyncAsync([new ContactSyncEntry(AliceAci, "+15550000001", "Alice"), new ContactSyncEntry(BobAci, null, "Bob")], complete: true);
        await t.Db.Contacts.ApplySyncAsync([new ContactSyncEntry(BobAci, "+15550000002", "Bobby")], complete: false);
        Assert.Equal(2, (await t.Db.Contacts.ListAsync()).Count);
        Assert.Equal("Bobby", (await t.Db.Contacts.GetByAciAsync(BobAci))!.Name);

        await t.Db.Contacts.ApplySyncAsync([new ContactSyncEntry(BobAci, "+15550000002", "Bobby")], complete: true);
        Assert.Equal("Bobby", Assert.Single(await t.Db.Contacts.ListAsync()).Name);
        Assert.NotNull(await t.Db.Recipients.GetByAciAsync(AliceAci));
        Assert.True(await t.Db.Contacts.RemoveAsync((await t.Db.Recipients.GetByAciAsync(BobAci))!.Id));
        Assert.Empty(await t.Db.Contacts.ListAsync());
    }

    [Fact]
    public async Task A_sync_that_links_a_number_to_an_ACI_merges_the_rows()
    {
        await using var t = await TestDatabase.OpenAsync();
        await t.Db.Recipients.GetOrCreateByAciAsync(AliceAci); // a message arrived before the sync
        await t.Db.Contacts.ApplySyncAsync([new ContactSyncEntry(null, "+15550000001", "Alice")], complete: false); // an older sync knew only the number
        Assert.Equal(2, (await t.Db.Recipients.ListAsync()).Count);
        await t.Db.Contacts.ApplySyncAsync([new ContactSyncEntry(AliceAci, "+15550000001", "Alice")], complete: true);
        var recipient = Assert.Single(await t.Db.Recipients.ListAsync());
        Assert.Equal(AliceAci, recipient.Aci);
        Assert.Equal("+15550000001", recipient.E164);
        Assert.Equal(recipient.Id, Assert.Single(await t.Db.Contacts.ListAsync()).Recipient.Id);
    }
}
