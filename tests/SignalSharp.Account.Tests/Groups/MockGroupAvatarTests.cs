using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Interop.Testing;

namespace SignalSharp.Account.Tests.Groups;

/// <summary>
/// Group avatars against the mock: the account creates a group with an avatar and changes it; each image goes up to
/// CDN 0 with the group server's signed form, encrypted as a group attribute blob, and the group names its key (a
/// ModifyAvatar change). A member (the harness, with libsignal's group cipher) reads the key from the server's state
/// and decrypts the blob to the same image. A member's own avatar change reaches the account through the change log
/// and is stored as signal-cli names it (avatars/group-…, 0600). The mock has neither the form nor ModifyAvatar;
/// interop/mock/avatars.mjs and groupserver-ext.mjs serve them as Signal's group server does.
/// </summary>
public sealed class MockGroupAvatarTests
{
    [Fact]
    public async Task Group_avatars_go_up_encrypted_for_the_members_and_come_down_when_a_member_changes_them()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(200));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice,Bob", ct);
        var (mock, account) = (linked.Mock, linked.Account);
        await mock.RouteGroupMessagesAsync(["alice", "bob"], ct);
        var alice = Guid.Parse(mock.Contact("alice")["aci"]!.GetValue<string>());
        await MockGroupCreationTests.KnowProfileKeysAsync(linked, ["alice", "bob"], ct);
        var first = await ImageFileAsync(linked, "first.png", 20_000, ct);

        var created = await account.CreateGroupAsync(new GroupChangeRequest
        {
            Name = "Pictures", AddMembers = [RecipientAddress.Aci(new Aci(alice))], AvatarPath = first.Path,
        }, ct);
        var masterKey = (await account.Database.Groups.GetAsync(created.GroupId.Bytes.ToArray(), ct))!.MasterKey;
        var seen = await GroupAvatarAsync(mock, masterKey, ct);
        Assert.StartsWith("groups/", (string?)seen["key"], StringComparison.Ordinal);
        Assert.Equal(first.Image, Convert.FromBase64String((string)seen["image"]!));
        var file = Path.Combine(account.Database.DirectoryPath, "avatars", "group-" + created.GroupId.ToBase64().Replace('/', '_'));
        await FileAsync(file, first.Image, ct);

        // A new avatar: revision 1 is a ModifyAvatar naming a new key.
        var second = await ImageFileAsync(linked, "second.png", 7_000, ct);
        var changed = await account.UpdateGroupAsync(created.GroupId, new GroupChangeRequest { AvatarPath = second.Path }, ct);
        Assert.Equal(1u, changed.Revision);
        Assert.True(changed.Timestamp > 0);
        var after = await GroupAvatarAsync(mock, masterKey, ct);
        Assert.NotEqual((string?)seen["key"], (string?)after["key"]);
        Assert.Equal(second.Image, Convert.FromBase64String((string)after["image"]!));
        await FileAsync(file, second.Image, ct);

        // Alice (made an administrator) sets one herself and tells us: the account follows the log and downloads it.
        await account.UpdateGroupAsync(created.GroupId, new GroupChangeRequest { AddAdmins = [RecipientAddress.Aci(new Aci(alice))] }, ct);
        var hers = new byte[12_345];
        Random.Shared.NextBytes(hers);
        await mock.CommandAsync("setGroupAvatarAs", new JsonObject
        {
            ["by"] = "alice", ["masterKey"] = Convert.ToBase64String(masterKey), ["image"] = Convert.ToBase64String(hers), ["notify"] = new JsonArray("linked"),
        }, ct);
        await FileAsync(file, hers, ct);
        Assert.Equal(hers, await account.People.GetAvatarAsync(new AvatarSource.Group(created.GroupId), ct));
        Assert.Equal(3u, (await account.Database.Groups.GetAsync(created.GroupId.Bytes.ToArray(), ct))!.Revision);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        // A file that is not there is refused before anything reaches the server.
        await Assert.ThrowsAsync<InvalidAvatarException>(() =>
            account.UpdateGroupAsync(created.GroupId, new GroupChangeRequest { AvatarPath = Path.Combine(linked.ConfigFolder, "missing.png") }, ct));
        Assert.Equal(3u, (await mock.ServerGroupAsync(masterKey, ct))!.Revision);
    }

    private static async Task<(string Path, byte[] Image)> ImageFileAsync(LinkedMock linked, string name, int size, CancellationToken ct)
    {
        var image = new byte[size];
        Random.Shared.NextBytes(image);
        var path = Path.Combine(linked.ConfigFolder, name);
        await File.WriteAllBytesAsync(path, image, ct);
        return (path, image);
    }

    private static async Task<JsonNode> GroupAvatarAsync(MockServer mock, byte[] masterKey, CancellationToken ct) =>
        (await mock.CommandAsync("groupAvatar", new JsonObject { ["masterKey"] = Convert.ToBase64String(masterKey) }, ct))!;

    /// <summary>Waits for the background download to leave <paramref name="expected"/> in <paramref name="file"/>.</summary>
    private static async Task FileAsync(string file, byte[] expected, CancellationToken ct)
    {
        while (!(File.Exists(file) && (await File.ReadAllBytesAsync(file, ct)).AsSpan().SequenceEqual(expected)))
        {
            await Task.Delay(100, ct);
        }
    }
}
