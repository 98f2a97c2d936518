using SignalSharp.Store.Contacts;

namespace SignalSharp.Store.Tests;

/// <summary>The blocked list: a contact sync never unblocks, a blocked-list sync replaces the list, groups likewise.</summary>
public sealed class BlockedStoreTests
{
    [Fact]
    public async Task A_complete_contact_sync_keeps_a_blocked_entry_and_its_block()
    {
        await using var t = await TestDatabase.OpenAsync();
        var aci = Guid.NewGuid();
        var blocked = await t.Db.Recipients.GetOrCreateByAciAsync(aci);
        await t.Db.Contacts.SetBlockedAsync(blocked.Id, true);

        await t.Db.Contacts.ApplySyncAsync([new ContactSyncEntry(aci, "+4366400000001", "Mallory")], complete: true);
        Assert.True(await t.Db.Contacts.IsBlockedAsync(aci));
        await t.Db.Contacts.ApplySyncAsync([new ContactSyncEntry(Guid.NewGuid(), "+4366400000002", "Bob")], complete: true);
        Assert.True(await t.Db.Contacts.IsBlockedAsync(aci));
    }

    [Fact]
    public async Task Replacing_the_blocked_lists_unblocks_whoever_is_not_on_them()
    {
        await using var t = await TestDatabase.OpenAsync();
        var first = await t.Db.Recipients.GetOrCreateByAciAsync(Guid.NewGuid());
        var second = await t.Db.Recipients.GetOrCreateByAciAsync(Guid.NewGuid());
        await t.Db.Contacts.SetBlockedAsync(first.Id, true);
        byte[] groupA = [.. Enumerable.Repeat((byte)1, 32)];
        byte[] groupB = [.. Enumerable.Repeat((byte)2, 32)];
        await t.Db.BlockedGroups.SetAsync(groupA, true);

        await t.Db.Contacts.ReplaceBlockedAsync([second.Id]);
        await t.Db.BlockedGroups.ReplaceAsync([groupB]);

        Assert.False(await t.Db.Contacts.IsBlockedAsync(first.Aci!.Value));
        Assert.True(await t.Db.Contacts.IsBlockedAsync(second.Aci!.Value));
        Assert.False(await t.Db.BlockedGroups.IsBlockedAsync(groupA));
        Assert.True(await t.Db.BlockedGroups.IsBlockedAsync(groupB));
        await t.Db.BlockedGroups.SetAsync(groupB, false);
        Assert.Empty(await t.Db.BlockedGroups.ListAsync());
    }
}
