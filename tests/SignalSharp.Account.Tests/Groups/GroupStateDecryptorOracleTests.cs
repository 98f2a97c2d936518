using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SignalSharp.Account.Groups;
using SignalSharp.Interop.Testing;
using SignalSharp.ZkGroup.Groups;

namespace SignalSharp.Account.Tests.Groups;

/// <summary>A group state that libsignal's zkgroup encrypted (as a group server holds it) decrypts to the same group here.</summary>
public sealed class GroupStateDecryptorOracleTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes);

    [Fact]
    public async Task Members_invites_requests_bans_and_attributes_decrypt()
    {
        var oracle = await fixture.GetAsync();
        var masterKey = RandomNumberGenerator.GetBytes(32);
        var (admin, member, invitedAci, invitedPni, requester, banned) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var (adminKey, memberKey, requesterKey) = (RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
        var response = await oracle.CallBytesAsync("groupstate.encrypt", new JsonObject
        {
            ["masterKey"] = B64(masterKey),
            ["version"] = 5,
            ["title"] = "Grüppe 🎉",
            ["description"] = "what it is about",
            ["timerSeconds"] = 3600,
            ["announcementsOnly"] = true,
            ["members"] = new JsonArray(
                new JsonObject { ["aci"] = admin.ToString(), ["role"] = 2, ["profileKey"] = B64(adminKey), ["joinedAtVersion"] = 0 },
                new JsonObject { ["aci"] = member.ToString(), ["role"] = 1, ["profileKey"] = B64(memberKey), ["joinedAtVersion"] = 4 }),
            ["pending"] = new JsonArray(
                new JsonObject { ["serviceId"] = invitedAci.ToString(), ["role"] = 1, ["addedBy"] = admin.ToString() },
                new JsonObject { ["serviceId"] = "PNI:" + invitedPni, ["role"] = 1, ["addedBy"] = member.ToString() }),
            ["requesting"] = new JsonArray(new JsonObject { ["aci"] = requester.ToString(), ["profileKey"] = B64(requesterKey) }),
            ["banned"] = new JsonArray(banned.ToString()),
        });

        var secretParams = GroupSecretParams.DeriveFromMasterKey(new GroupMasterKey(masterKey));
        var state = GroupStateDecryptor.DecryptResponse(secretParams, response);

        Assert.Equal(secretParams.GroupIdentifier.ToArray(), state.GroupId);
        Assert.Equal(masterKey, state.MasterKey);
        Assert.Equal(5u, state.Revision);
        Assert.Equal("Grüppe 🎉", state.Title);
        Assert.Equal("what it is about", state.Description);
        Assert.Equal(3600u, state.DisappearingMessagesSeconds);
        Assert.True(state.AnnouncementsOnly);
        Assert.Equal(
            [new GroupMemberState(admin, 2, adminKey, 0), new GroupMemberState(member, 1, memberKey, 4)],
            state.Members,
            new MemberComparer());
        Assert.Equal([new PendingGroupMember(invitedAci, false, 1, admin), new PendingGroupMember(invitedPni, true, 1, member)], state.Pending);
        var request = Assert.Single(state.Requesting);
        Assert.Equal(requester, request.Aci);
        Assert.Equal(requesterKey, request.ProfileKey);
        Assert.Equal([banned], state.Banned);

        var stored = state.ToRecord(DateTimeOffset.UnixEpoch);
        Assert.Equal([admin, member], stored.Members.Select(m => m.Aci));
        Assert.Equal([invitedAci, invitedPni], stored.PendingMembers);
        Assert.Equal([requester], stored.RequestingMembers);
    }

    [Fact]
    public async Task A_state_under_another_master_key_is_refused()
    {
        var oracle = await fixture.GetAsync();
        var response = await oracle.CallBytesAsync("groupstate.encrypt", new JsonObject
        {
            ["masterKey"] = B64(RandomNumberGenerator.GetBytes(32)),
            ["version"] = 0,
            ["title"] = "t",
            ["members"] = new JsonArray(new JsonObject { ["aci"] = Guid.NewGuid().ToString(), ["role"] = 2, ["profileKey"] = B64(RandomNumberGenerator.GetBytes(32)) }),
        });
        var other = GroupSecretParams.DeriveFromMasterKey(new GroupMasterKey(RandomNumberGenerator.GetBytes(32)));
        Assert.Throws<GroupStateDecryptionException>(() => GroupStateDecryptor.DecryptResponse(other, response));
        Assert.Throws<GroupStateDecryptionException>(() => GroupStateDecryptor.DecryptResponse(other, [0xFF, 0x01]));
    }

    private sealed class MemberComparer : IEqualityComparer<GroupMemberState>
    {
        public bool Equals(GroupMemberState? x, GroupMemberState? y) =>
            x is not null && y is not null && x.Aci == y.Aci && x.Role == y.Role && x.JoinedAtRevision == y.JoinedAtRevision
            && x.ProfileKey.AsSpan().SequenceEqual(y.ProfileKey);

        public int GetHashCode(GroupMemberState obj) => obj.Aci.GetHashCode();
    }
}
