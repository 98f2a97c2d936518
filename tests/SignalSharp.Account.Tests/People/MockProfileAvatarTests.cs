using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Account.Tests.Groups;

namespace SignalSharp.Account.Tests.People;

/// <summary>
/// updateProfile with an avatar: the profile write asks for an avatar, the upload form the server answers is posted to
/// CDN 0 with the image encrypted under our profile key, and whoever holds the key decrypts the image. The mock has
/// neither the form nor the CDN 0 POST; interop/mock/avatars.mjs serves them as production does and decrypts the
/// upload with node's own AES-GCM.
/// </summary>
public sealed class MockProfileAvatarTests
{
    [Fact]
    public async Task An_avatar_is_uploaded_encrypted_under_our_profile_key()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice", ct);
        var image = new byte[40_000];
        Random.Shared.NextBytes(image);
        var file = Path.Combine(linked.ConfigFolder, "avatar.jpg");
        await File.WriteAllBytesAsync(file, image, ct);

        var written = await linked.Account.People.UpdateProfileAsync(new ProfileUpdate("Ada", null, null, null) { AvatarPath = file }, ct);

        Assert.True(written.HasAvatar);
        var write = (await linked.Mock.CommandAsync("lastProfileWrite", new JsonObject(), ct))!;
        Assert.True((bool)write["avatar"]!);
        var uploaded = (await linked.Mock.CommandAsync("profileAvatar", new JsonObject { ["profileKey"] = Convert.ToBase64String(linked.Account.Record.ProfileKey!) }, ct))!;
        Assert.StartsWith("profiles/", (string?)uploaded["key"], StringComparison.Ordinal);
        Assert.Equal(image.Length + 12 + 16, (int)uploaded["size"]!);
        Assert.Equal(image, Convert.FromBase64String((string)uploaded["image"]!));

        // The phone's account record (in the storage service) names the new avatar, as Signal's apps do.
        await linked.Mock.CommandAsync("phoneStorageWrite", new JsonObject { ["account"] = new JsonObject { ["givenName"] = "Ada" } }, ct);
        await linked.Account.People.UpdateProfileAsync(new ProfileUpdate(null, null, null, null) { AvatarPath = file }, ct);
        var second = (await linked.Mock.CommandAsync("profileAvatar", new JsonObject { ["profileKey"] = Convert.ToBase64String(linked.Account.Record.ProfileKey!) }, ct))!;
        var state = (await linked.Mock.CommandAsync("storageState", new JsonObject(), ct))!;
        var account = state["records"]!.AsArray().Single(r => r!["account"] is not null)!["account"]!;
        Assert.Equal((string?)second["key"], (string?)account["avatarUrlPath"]);
        Assert.NotEqual((string?)uploaded["key"], (string?)second["key"]);

        var missing = Path.Combine(linked.ConfigFolder, "no-such-avatar.png");
        await Assert.ThrowsAsync<InvalidPeopleRequestException>(() =>
            linked.Account.People.UpdateProfileAsync(new ProfileUpdate(null, null, null, null) { AvatarPath = missing }, ct));
    }
}
