using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Account.Storage;
using SignalSharp.Account.Tests.Groups;
using SignalSharp.Interop.Testing;

namespace SignalSharp.Account.Tests.People;

/// <summary>
/// updateProfile with rotateProfileKey against the mock: the profile is written again under a new random key (the mock
/// keeps each version as Signal's server does: interop/mock/profileversions.mjs), so a contact holding the new key
/// (the harness, libsignal's zkgroup for the version) reads our name and our avatar sealed again under it; the next
/// message to Alice carries the new key; the group server's member record for us holds the new key (our
/// ModifyMemberProfileKey presentation, verified by the mock's group server with libsignal, decrypted as a member
/// would), and a group that refuses us does not stop the others; the storage service's account record names it for our
/// other devices; and the database keeps it.
/// </summary>
public sealed class MockProfileKeyRotationTests
{
    [Fact]
    public async Task A_rotated_profile_key_reaches_the_profile_contacts_groups_and_the_storage_service()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice", ct);
        var (mock, account) = (linked.Mock, linked.Account);
        await mock.RouteGroupMessagesAsync(["alice"], ct);
        await MockGroupCreationTests.KnowProfileKeysAsync(linked, ["alice"], ct);
        var alice = Guid.Parse(mock.Contact("alice")["aci"]!.GetValue<string>());
        await mock.CommandAsync("phoneStorageWrite", new JsonObject { ["account"] = new JsonObject { ["givenName"] = "Ada" } }, ct);

        var image = new byte[20_000];
        Random.Shared.NextBytes(image);
        var file = Path.Combine(linked.ConfigFolder, "avatar.png");
        await File.WriteAllBytesAsync(file, image, ct);
        await account.People.UpdateProfileAsync(new ProfileUpdate("Ada", "Lovelace", "engines", "⚙️") { AvatarPath = file }, ct);
        var group = await account.CreateGroupAsync(new GroupChangeRequest { Name = "Analytical", AddMembers = [RecipientAddress.Aci(new Aci(alice))] }, ct);
        var masterKey = (await account.Database.Groups.GetAsync(group.GroupId.Bytes.ToArray(), ct))!.MasterKey;
        await mock.WaitForGroupMessageAsync("alice", cancellationToken: ct);
        // A second group, where Alice (made an administrator) removes us behind our back: our store still lists us, the
        // group server refuses us, and the rotation goes on without it.
        var lost = await account.CreateGroupAsync(new GroupChangeRequest { Name = "Difference", AddMembers = [RecipientAddress.Aci(new Aci(alice))] }, ct);
        var lostKey = (await account.Database.Groups.GetAsync(lost.GroupId.Bytes.ToArray(), ct))!.MasterKey;
        await mock.WaitForGroupMessageAsync("alice", cancellationToken: ct);
        await account.UpdateGroupAsync(lost.GroupId, new GroupChangeRequest { AddAdmins = [RecipientAddress.Aci(new Aci(alice))] }, ct);
        await mock.WaitForGroupMessageAsync("alice", cancellationToken: ct);
        await mock.CommandAsync("changeGroupAs", new JsonObject { ["by"] = "alice", ["masterKey"] = Convert.ToBase64String(lostKey), ["removeMember"] = "phone" }, ct);
        Assert.True((await account.Database.Groups.GetAsync(lost.GroupId.Bytes.ToArray(), ct))!.IsMember(account.Record.Aci));
        var oldKey = account.Record.ProfileKey!;
        var before = await FetchAsync(mock, oldKey, ct);
        Assert.True((bool)before["found"]!);
        Assert.Equal(oldKey, OwnKeyInGroup(await ServerGroupAsync(mock, masterKey, ct), account.Record.Aci));

        var written = await account.People.UpdateProfileAsync(new ProfileUpdate(null, null, null, null) { RotateProfileKey = true }, ct);

        var newKey = account.Record.ProfileKey!;
        Assert.Equal(32, newKey.Length);
        Assert.NotEqual(oldKey, newKey);
        Assert.Equal(("Ada", "Lovelace", "engines", true), (written.GivenName, written.FamilyName, written.About, written.HasAvatar));

        // Alice, holding the new key, finds the profile under its version and reads it; the avatar was sealed again.
        var seen = await FetchAsync(mock, newKey, ct);
        Assert.True((bool)seen["found"]!);
        Assert.NotEqual((string?)before["version"], (string?)seen["version"]);
        Assert.Equal(("Ada", "Lovelace", "engines", "⚙️"), ((string?)seen["givenName"], (string?)seen["familyName"], (string?)seen["about"], (string?)seen["aboutEmoji"]));
        var avatar = (await mock.CommandAsync("profileAvatar", new JsonObject { ["profileKey"] = Convert.ToBase64String(newKey) }, ct))!;
        Assert.Equal((string?)seen["avatar"], (string?)avatar["key"]);
        Assert.NotEqual((string?)before["avatar"], (string?)seen["avatar"]);
        Assert.Equal(image, Convert.FromBase64String((string)avatar["image"]!));

        // The group server's member record for us holds the new key; Alice's stays hers; the stored state follows.
        var server = await ServerGroupAsync(mock, masterKey, ct);
        Assert.Equal(1u, (uint)server["revision"]!);
        Assert.Equal(newKey, OwnKeyInGroup(server, account.Record.Aci));
        Assert.NotNull(OwnKeyInGroup(server, alice));
        Assert.NotEqual(newKey, OwnKeyInGroup(server, alice));
        var announced = await mock.WaitForGroupMessageAsync("alice", cancellationToken: ct);
        Assert.Equal(1u, announced.GroupRevision);
        Assert.NotNull(announced.GroupChange);
        var stored = (await account.Database.Groups.GetAsync(group.GroupId.Bytes.ToArray(), ct))!;
        Assert.Equal(newKey, stored.Members.Single(m => m.Aci == account.Record.Aci).ProfileKey);
        var lostServer = await ServerGroupAsync(mock, lostKey, ct);
        Assert.Equal(2u, (uint)lostServer["revision"]!);
        Assert.DoesNotContain(lostServer["members"]!.AsArray(), m => Guid.Parse((string)m!["aci"]!) == account.Record.Aci);

        // The next message to Alice carries the new key.
        await account.SendMessageAsync(new RecipientTarget(RecipientAddress.Aci(new Aci(alice))), new OutgoingMessage("after the rotation", []), ct);
        var message = await mock.WaitForDataMessageAsync("alice", ct);
        Assert.Equal("after the rotation", (string?)message["body"]);
        Assert.Equal(Convert.ToBase64String(newKey), (string?)message["profileKey"]);

        // Our other devices: the storage service's account record names the new key; the database keeps it.
        var state = (await mock.CommandAsync("storageState", new JsonObject(), ct))!;
        var record = state["records"]!.AsArray().Single(r => r!["account"] is not null)!["account"]!;
        Assert.Equal(Convert.ToBase64String(newKey), (string?)record["profileKey"]);
        Assert.Equal(newKey, (await AccountRecord.LoadAsync(account.Database, ct))!.ProfileKey);

        // A linked device writes no account attributes: the server would replace the registration lock and the
        // phone's settings with what it sent, and it knows neither (interop/mock/accountattributes.mjs records writes).
        Assert.Empty((await mock.CommandAsync("accountAttributesWrites", new JsonObject(), ct))!.AsArray());
    }

    private static async Task<JsonNode> FetchAsync(MockServer mock, byte[] profileKey, CancellationToken ct) =>
        (await mock.CommandAsync("fetchProfile", new JsonObject { ["profileKey"] = Convert.ToBase64String(profileKey) }, ct))!;

    private static async Task<JsonNode> ServerGroupAsync(MockServer mock, byte[] masterKey, CancellationToken ct) =>
        (await mock.CommandAsync("serverGroup", new JsonObject { ["masterKey"] = Convert.ToBase64String(masterKey) }, ct))!;

    private static byte[]? OwnKeyInGroup(JsonNode server, Guid aci) =>
        server["members"]!.AsArray().Single(m => Guid.Parse((string)m!["aci"]!) == aci)!["profileKey"] is { } key ? Convert.FromBase64String((string)key!) : null;
}
