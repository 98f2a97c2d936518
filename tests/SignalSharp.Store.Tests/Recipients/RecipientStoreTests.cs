using SignalSharp.Store.Contacts;

namespace SignalSharp.Store.Tests.Recipients;

public sealed class RecipientStoreTests
{
    private static readonly Guid AliceAci = Guid.Parse("aaaaaaaa-0000-4000-8000-000000000001");
    private static readonly Guid AlicePni = Guid.Parse("aaaaaaaa-0000-4000-8000-0000000000f1");
    private static readonly Guid BobAci = Guid.Parse("bbbbbbbb-0000-4000-8000-000000000002");
    private const string AliceNumber = "+15550000001";
    private const string OtherNumber = "+15550000009";

    [Fact]
    public async Task Lookups_by_each_identifier_find_the_same_row()
    {
        await using var t = await TestDatabase.OpenAsync();
        var r = await t.Db.Recipients.ResolveAsync(AliceAci, AlicePni, AliceNumber);
        Assert.Equal(r, await t.Db.Recipients.GetByAciAsync(AliceAci));
        Assert.Equal(r, await t.Db.Recipients.GetByPniAsync(AlicePni));
        Assert.Equal(r, await t.Db.Recipients.GetByE164Async(AliceNumber));
        Assert.Equal(r, await t.Db.Recipients.GetAsync(r.Id));
        Assert.Null(await t.Db.Recipients.GetByAciAsync(BobAci));
        Assert.Null(await t.Db.Recipients.GetByE164Async(OtherNumber));
        await Assert.ThrowsAsync<ArgumentException>(() => t.Db.Recipients.ResolveAsync(null, null, null));
    }

    [Fact]
    public async Task An_incoming_ACI_creates_one_row_and_never_a_number()
    {
        await using var t = await TestDatabase.OpenAsync();
        var first = await t.Db.Recipients.GetOrCreateByAciAsync(AliceAci);
        var again = await t.Db.Recipients.GetOrCreateByAciAsync(AliceAci);
        Assert.Equal(first, again);
        Assert.Null(first.E164);
        Assert.Single(await t.Db.Recipients.ListAsync());
    }

    [Fact]
    public async Task A_number_only_row_and_an_ACI_only_row_merge_when_a_sync_links_them()
    {
        await using var t = await TestDatabase.OpenAsync();
        var byNumber = await t.Db.Recipients.ResolveAsync(null, null, AliceNumber);
        await t.Db.Recipients.SetProfileKeyAsync(byNumber.Id, [1, 2, 3]);
        await t.Db.Contacts.ApplySyncAsync([new ContactSyncEntry(null, AliceNumber, "Alice (by number)")], complete: false);
        var byAci = await t.Db.Recipients.GetOrCreateByAciAsync(AliceAci);
        await t.Db.Recipients.SetProfileNameAsync(byAci.Id, "Alice", "Liddell");
        Assert.Equal(2, (await t.Db.Recipients.ListAsync()).Count);

        var merged = await t.Db.Recipients.ResolveAsync(AliceAci, null, AliceNumber);

        Assert.Equal(byAci.Id, merged.Id); // the ACI's row is kept
        Assert.Equal(AliceNumber, merged.E164);
        Assert.Equal(new byte[] { 1, 2, 3 }, merged.ProfileKey); // gap filled from the merged row
        Assert.Equal("Alice Liddell", merged.ProfileName);
        Assert.Equal(merged.Id, Assert.Single(await t.Db.Recipients.ListAsync()).Id);
        // The contact entry followed the person.
        var contact = Assert.Single(await t.Db.Contacts.ListAsync());
        Assert.Equal(merged.Id, contact.Recipient.Id);
        Assert.Equal("Alice (by number)", contact.Name);
    }

    [Fact]
    public async Task A_number_now_belonging_to_another_ACI_moves_to_it()
    {
        await using var t = await TestDatabase.OpenAsync();
        var alice = await t.Db.Recipients.ResolveAsync(AliceAci, null, AliceNumber);
        var bob = await t.Db.Recipients.ResolveAsync(BobAci, null, AliceNumber);

        Assert.NotEqual(alice.Id, bob.Id);
        Assert.Equal(AliceNumber, bob.E164);
        var aliceNow = await t.Db.Recipients.GetByAciAsync(AliceAci);
        Assert.NotNull(aliceNow);
        Assert.Null(aliceNow.E164);
        Assert.Equal(bob, await t.Db.Recipients.GetByE164Async(AliceNumber));
    }

    [Fact]
    public async Task A_changed_number_replaces_the_old_one_on_the_same_person()
    {
        await using var t = await TestDatabase.OpenAsync();
        var before = await t.Db.Recipients.ResolveAsync(AliceAci, null, AliceNumber);
        var after = await t.Db.Recipients.ResolveAsync(AliceAci, null, OtherNumber);
        Assert.Equal(before.Id, after.Id);
        Assert.Equal(OtherNumber, after.E164);
        Assert.Null(await t.Db.Recipients.GetByE164Async(AliceNumber));
    }

    [Fact]
    public async Task A_PNI_row_merges_into_the_ACI_and_a_PNI_of_someone_else_is_taken_from_them()
    {
        await using var t = await TestDatabase.OpenAsync();
        var pniOnly = await t.Db.Recipients.ResolveAsync(null, AlicePni, null);
        var merged = await t.Db.Recipients.ResolveAsync(AliceAci, AlicePni, AliceNumber);
        Assert.Single(await t.Db.Recipients.ListAsync());
        Assert.Equal(AlicePni, merged.Pni);
        Assert.Equal(pniOnly.Id, merged.Id); // no ACI row existed: the PNI's row became the person's row
        Assert.Equal(AliceAci, merged.Aci);

        var bob = await t.Db.Recipients.ResolveAsync(BobAci, AlicePni, null);
        Assert.Equal(AlicePni, bob.Pni);
        Assert.Null((await t.Db.Recipients.GetByAciAsync(AliceAci))!.Pni);
        Assert.Equal(AliceNumber, (await t.Db.Recipients.GetByAciAsync(AliceAci))!.E164);
    }

    [Fact]
    public async Task Number_and_PNI_on_different_rows_without_ACI_merge_into_the_PNI_row()
    {
        await using var t = await TestDatabase.OpenAsync();
        var byPni = await t.Db.Recipients.ResolveAsync(null, AlicePni, null);
        await t.Db.Recipients.ResolveAsync(null, null, AliceNumber);
        var merged = await t.Db.Recipients.ResolveAsync(null, AlicePni, AliceNumber);
        Assert.Equal(byPni.Id, merged.Id);
        Assert.Equal(AliceNumber, merged.E164);
        Assert.Single(await t.Db.Recipients.ListAsync());
    }
}
