using SignalSharp.Store.Groups;

namespace SignalSharp.Store.Tests.Groups;

public sealed class GroupStoreTests
{
    private static readonly Guid Me = Guid.Parse("11111111-0000-4000-8000-000000000001");
    private static readonly Guid Alice = Guid.Parse("aaaaaaaa-0000-4000-8000-000000000001");
    private static readonly Guid Bob = Guid.Parse("bbbbbbbb-0000-4000-8000-000000000002");
    private static readonly Guid Carol = Guid.Parse("cccccccc-0000-4000-8000-000000000003");

    private static GroupRecord Group(byte fill, uint revision, string title) => new(
        Enumerable.Repeat(fill, 32).ToArray(), Enumerable.Repeat((byte)(fill + 1), 32).ToArray(), revision, title,
        [new GroupMemberRecord(Me, 2, [1, 2, 3], 0), new GroupMemberRecord(Alice, 1, null, 0), new GroupMemberRecord(Bob, 1, [9], revision)],
        [Carol], [], IsAnnouncementOnly: false, EndorsementsResponse: [5, 5], new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_stored_group_reads_back_whole_with_members_in_order()
    {
        await using var t = await TestDatabase.OpenAsync();
        var group = Group(0x10, 3, "Echo group");
        await t.Db.Groups.UpsertAsync(group);

        var read = await t.Db.Groups.GetAsync(group.GroupId);
        Assert.NotNull(read);
        Assert.Equal(group.GroupId, read.GroupId);
        Assert.Equal(group.MasterKey, read.MasterKey);
        Assert.Equal(3u, read.Revision);
        Assert.Equal("Echo group", read.Title);
        Assert.Equal([Me, Alice, Bob], read.Members.Select(m => m.Aci));
        Assert.Equal(2, read.Members[0].Role);
        Assert.Equal(new byte[] { 1, 2, 3 }, read.Members[0].ProfileKey);
        Assert.Null(read.Members[1].ProfileKey);
        Assert.Equal(3u, read.Members[2].JoinedAtRevision);
        Assert.Equal([Carol], read.PendingMembers);
        Assert.Empty(read.RequestingMembers);
        Assert.Equal(new byte[] { 5, 5 }, read.EndorsementsResponse);
        Assert.Equal(group.UpdatedAt, read.UpdatedAt);
        Assert.True(read.IsMember(Alice));
        Assert.False(read.IsMember(Carol)); // only invited
        Assert.Null(await t.Db.Groups.GetAsync(new byte[32]));
    }

    [Fact]
    public async Task The_groups_details_read_back_and_a_group_without_them_has_none()
    {
        await using var t = await TestDatabase.OpenAsync();
        var group = Group(0x30, 4, "Ops") with
        {
            Description = "on call", ExpirationSeconds = 600, AttributesAccess = 2, MembersAccess = 3, InviteLinkAccess = 3,
            InviteLinkPassword = [7, 7, 7], BannedMembers = [Alice], RequestingMembers = [Bob],
        };
        await t.Db.Groups.UpsertAsync(group);
        await t.Db.Groups.UpsertAsync(Group(0x40, 1, "Plain"));

        var read = (await t.Db.Groups.GetAsync(group.GroupId))!;
        Assert.Equal(("on call", 600u, 2u, 3u, 3u), (read.Description, read.ExpirationSeconds, read.AttributesAccess, read.MembersAccess, read.InviteLinkAccess));
        Assert.Equal(new byte[] { 7, 7, 7 }, read.InviteLinkPassword);
        Assert.Equal([Alice], read.BannedMembers);
        Assert.Equal([Bob], read.RequestingMembers);
        Assert.True(read.IsMember(Alice)); // banned rows do not make or unmake members

        var plain = (await t.Db.Groups.GetAsync(Group(0x40, 1, "Plain").GroupId))!;
        Assert.Equal((null, 0u, 0u, 0u, 0u), (plain.Description, plain.ExpirationSeconds, plain.AttributesAccess, plain.MembersAccess, plain.InviteLinkAccess));
        Assert.Null(plain.InviteLinkPassword);
        Assert.Empty(plain.BannedMembers);
    }

    [Fact]
    public async Task An_upsert_replaces_the_state_and_membership()
    {
        await using var t = await TestDatabase.OpenAsync();
        var group = Group(0x20, 1, "Old");
        await t.Db.Groups.UpsertAsync(group);
        var newer = group with
        {
            Revision = 2, Title = "New", Members = [new GroupMemberRecord(Alice, 2, null, 0)], PendingMembers = [],
            RequestingMembers = [Carol], IsAnnouncementOnly = true, EndorsementsResponse = null,
        };
        await t.Db.Groups.UpsertAsync(newer);

        var read = (await t.Db.Groups.GetAsync(group.GroupId))!;
        Assert.Equal(2u, read.Revision);
        Assert.Equal("New", read.Title);
        Assert.Equal([Alice], read.Members.Select(m => m.Aci));
        Assert.False(read.IsMember(Me)); // left or removed
        Assert.Empty(read.PendingMembers);
        Assert.Equal([Carol], read.RequestingMembers);
        Assert.True(read.IsAnnouncementOnly);
        Assert.Null(read.EndorsementsResponse);
        Assert.Single(await t.Db.Groups.ListAsync());
    }

    [Fact]
    public async Task Groups_list_and_a_transaction_sees_its_own_writes_and_rolls_them_back()
    {
        await using var t = await TestDatabase.OpenAsync();
        await t.Db.Groups.UpsertAsync(Group(0x30, 0, "B"));
        await using (var tx = await t.Db.BeginTransactionAsync())
        {
            await tx.Groups.UpsertAsync(Group(0x40, 0, "A"));
            Assert.Equal(["A", "B"], (await tx.Groups.ListAsync()).Select(g => g.Title));
        } // disposed without commit
        Assert.Equal(["B"], (await t.Db.Groups.ListAsync()).Select(g => g.Title));

        await using (var tx = await t.Db.BeginTransactionAsync())
        {
            await tx.Groups.UpsertAsync(Group(0x40, 0, "A"));
            await tx.CommitAsync();
        }
        Assert.Equal(["A", "B"], (await t.Db.Groups.ListAsync()).Select(g => g.Title));
        Assert.True(await t.Db.Groups.RemoveAsync(Enumerable.Repeat((byte)0x40, 32).ToArray()));
        Assert.Equal(["B"], (await t.Db.Groups.ListAsync()).Select(g => g.Title));
    }

    [Fact]
    public async Task A_group_id_must_be_32_bytes()
    {
        await using var t = await TestDatabase.OpenAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => t.Db.Groups.UpsertAsync(Group(1, 0, "x") with { GroupId = new byte[16] }));
    }

    [Fact]
    public async Task Sender_key_shares_are_tracked_per_distribution_and_reset_by_forget_and_rotate()
    {
        await using var t = await TestDatabase.OpenAsync();
        var group = Group(0x50, 0, "G");
        await t.Db.Groups.UpsertAsync(group);
        var id = await t.Db.SenderKeyShares.GetOrCreateDistributionIdAsync(group.GroupId);
        Assert.Equal(id, await t.Db.SenderKeyShares.GetOrCreateDistributionIdAsync(group.GroupId));
        Assert.Empty(await t.Db.SenderKeyShares.SharedWithAsync(id));

        await t.Db.SenderKeyShares.MarkSharedAsync(id, [(Alice, 1), (Alice, 2), (Bob, 1)]);
        await t.Db.SenderKeyShares.MarkSharedAsync(id, [(Bob, 1)]); // again: no duplicate
        Assert.Equal(3, (await t.Db.SenderKeyShares.SharedWithAsync(id)).Count);

        Assert.Equal(1, await t.Db.SenderKeyShares.ForgetAsync(Alice, 2));
        Assert.Equal(new HashSet<(Guid, uint)> { (Alice, 1), (Bob, 1) }, (await t.Db.SenderKeyShares.SharedWithAsync(id)).ToHashSet());
        Assert.Equal(1, await t.Db.SenderKeyShares.ForgetAsync(Bob));

        var rotated = await t.Db.SenderKeyShares.RotateAsync(group.GroupId);
        Assert.NotEqual(id, rotated);
        Assert.Equal(rotated, await t.Db.SenderKeyShares.GetOrCreateDistributionIdAsync(group.GroupId));
        Assert.Empty(await t.Db.SenderKeyShares.SharedWithAsync(id));
        Assert.Empty(await t.Db.SenderKeyShares.SharedWithAsync(rotated));
    }

    [Fact]
    public async Task Recipients_load_with_identity_and_every_device_session_in_one_call()
    {
        await using var t = await TestDatabase.OpenAsync();
        var sessions = new SignalSharp.Store.Protocol.SessionTable(t.Db.Scope);
        var identities = new SignalSharp.Store.Protocol.IdentityTable(t.Db.Scope);
        await sessions.StoreAsync(SignalSharp.Store.Protocol.AccountIdentity.Aci, Alice.ToString(), 2, [2], default);
        await sessions.StoreAsync(SignalSharp.Store.Protocol.AccountIdentity.Aci, Alice.ToString(), 1, [1], default);
        await sessions.StoreAsync(SignalSharp.Store.Protocol.AccountIdentity.Pni, Alice.ToString(), 3, [3], default); // other identity: not read
        await sessions.StoreAsync(SignalSharp.Store.Protocol.AccountIdentity.Aci, Bob.ToString(), 1, [4], default);
        await sessions.StoreAsync(SignalSharp.Store.Protocol.AccountIdentity.Aci, Carol.ToString(), 1, [5], default); // not asked for
        await identities.SaveAsync(Alice.ToString(), [0xA], SignalSharp.Store.Protocol.TrustLevel.TrustedUnverified, SignalSharp.Store.Protocol.TrustLevel.Untrusted, default);
        await identities.SaveAsync(Me.ToString(), [0xE], SignalSharp.Store.Protocol.TrustLevel.TrustedUnverified, SignalSharp.Store.Protocol.TrustLevel.Untrusted, default);
        await identities.SaveAsync(Me.ToString(), [0xF], SignalSharp.Store.Protocol.TrustLevel.TrustedUnverified, SignalSharp.Store.Protocol.TrustLevel.Untrusted, default); // changed: untrusted

        var loaded = await t.Db.SenderKeyShares.LoadRecipientsAsync(SignalSharp.Store.Protocol.AccountIdentity.Aci,
            [Alice.ToString(), Bob.ToString(), Me.ToString(), "nobody \" quoted"]);
        Assert.Equal(3, loaded.Count);
        Assert.Equal(new byte[] { 0xA }, loaded[Alice.ToString()].IdentityKey);
        Assert.True(loaded[Alice.ToString()].Trusted);
        Assert.False(loaded[Me.ToString()].Trusted);
        Assert.Equal(new byte[] { 0xF }, loaded[Me.ToString()].IdentityKey);
        Assert.Equal(["1:01", "2:02"], loaded[Alice.ToString()].Sessions.Select(x => $"{x.Device}:{Convert.ToHexString(x.Record)}"));
        Assert.Null(loaded[Bob.ToString()].IdentityKey); // a session but no identity stored
        Assert.Equal(["1:04"], loaded[Bob.ToString()].Sessions.Select(x => $"{x.Device}:{Convert.ToHexString(x.Record)}"));
        Assert.Empty(loaded[Me.ToString()].Sessions); // an identity but no session
        Assert.False(loaded.ContainsKey(Carol.ToString()));
    }
}
