using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Account.Tests.Everyday;
using SignalSharp.Store.Profiles;
using static SignalSharp.Account.Tests.Everyday.EverydayMockFixture;

namespace SignalSharp.Account.Tests.People;

/// <summary>
/// Contacts' profile avatars against the mock: a contact (the mock's Alice, with libsignal's profile key) takes an
/// avatar as Signal's apps upload one, encrypted under her profile key on CDN 0; her profile names its path (the mock
/// has no avatars: interop/mock/avatars.mjs adds production's `avatar` field and CDN 0 GET). The account downloads it
/// when the path is new, stores the exact image as signal-cli names it (avatars/profile-NUMBER, 0600), and refuses a
/// blob over the limit without failing anything else.
/// </summary>
public sealed class MockContactAvatarTests(EverydayMockFixture mock) : IClassFixture<EverydayMockFixture>
{
    [Fact]
    public async Task A_contacts_avatar_is_downloaded_decrypted_and_stored_once_per_path()
    {
        var ct = Timeout();
        var file = Path.Combine(mock.Linked.Account.Database.DirectoryPath, "avatars", "profile-" + mock.NumberOf("alice"));
        var image = new byte[30_000];
        Random.Shared.NextBytes(image);
        image.AsSpan(image.Length - 8).Clear(); // Trailing zero bytes are part of the image, not padding.

        var key = await RotateAsync(ct);
        var path = await SetAvatarAsync(new JsonObject { ["image"] = Convert.ToBase64String(image) }, ct);
        await MessageAsync(key, ct);
        await ProfileAsync(p => p.AvatarPath == path, ct);

        Assert.Equal(image, await File.ReadAllBytesAsync(file, ct));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        var alice = (await mock.Linked.Account.ListContactsAsync(ct)).Single(c => c.Number == mock.NumberOf("alice"));
        Assert.True(alice.Profile!.HasAvatar);
        Assert.Equal(1, await DownloadsAsync(path, ct));
        var byNumber = new AvatarSource.Profile(RecipientAddress.PhoneNumber(mock.NumberOf("alice")));
        Assert.Equal(image, await mock.Linked.Account.People.GetAvatarAsync(byNumber, ct));

        // A new key, the same avatar path: the profile is fetched again, the avatar is not.
        var second = await RotateAsync(ct);
        await MessageAsync(second, ct);
        await ProfileAsync(p => p.FetchedWithKey.AsSpan().SequenceEqual(second), ct);
        Assert.Equal(1, await DownloadsAsync(path, ct));
        Assert.Equal(image, await File.ReadAllBytesAsync(file, ct));

        // A blob over the limit is refused: no file, no stale image, and her next messages still arrive.
        var third = await RotateAsync(ct);
        var huge = await SetAvatarAsync(new JsonObject { ["oversize"] = 11 * 1024 * 1024 }, ct);
        await MessageAsync(third, ct);
        await ProfileAsync(p => p.AvatarPath == huge, ct);
        Assert.False(File.Exists(file));
        await Assert.ThrowsAsync<AvatarNotFoundException>(() => mock.Linked.Account.People.GetAvatarAsync(byNumber, ct));
        alice = (await mock.Linked.Account.ListContactsAsync(ct)).Single(c => c.Number == mock.NumberOf("alice"));
        Assert.False(alice.Profile!.HasAvatar);

        // A new avatar replaces it.
        var replacement = new byte[5_000];
        Random.Shared.NextBytes(replacement);
        var fourth = await RotateAsync(ct);
        var newPath = await SetAvatarAsync(new JsonObject { ["image"] = Convert.ToBase64String(replacement) }, ct);
        await MessageAsync(fourth, ct);
        await ProfileAsync(p => p.AvatarPath == newPath, ct);
        Assert.Equal(replacement, await File.ReadAllBytesAsync(file, ct));
    }

    private async Task<byte[]> RotateAsync(CancellationToken ct) =>
        Convert.FromBase64String((await mock.Linked.Mock.CommandAsync("rotateProfile", new JsonObject
        {
            ["name"] = "alice", ["givenName"] = "Alice",
        }, ct))!["profileKey"]!.GetValue<string>());

    private async Task<string> SetAvatarAsync(JsonObject how, CancellationToken ct)
    {
        how["name"] = "alice";
        return (await mock.Linked.Mock.CommandAsync("setContactAvatar", how, ct))!["key"]!.GetValue<string>();
    }

    private async Task<int> DownloadsAsync(string path, CancellationToken ct) =>
        (await mock.Linked.Mock.CommandAsync("avatarDownloads", new JsonObject { ["key"] = path }, ct))!.GetValue<int>();

    private async Task MessageAsync(byte[] profileKey, CancellationToken ct)
    {
        var sent = mock.NextTimestamp();
        await mock.SendAsync("alice", Data(new JsonObject { ["body"] = "avatar", ["timestamp"] = U64(sent), ["profileKey"] = Bytes(profileKey) }), sent, ct);
        await mock.ReceiveAsync<ReceivedMessage>(m => m.Timestamp == sent, ct);
    }

    private async Task<ProfileRecord> ProfileAsync(Func<ProfileRecord, bool> done, CancellationToken ct)
    {
        var aci = mock.AciOf("alice");
        while (true)
        {
            if (await mock.Linked.Account.Database.Recipients.GetByAciAsync(aci, ct) is { } recipient
                && await mock.Linked.Account.Database.Profiles.GetAsync(recipient.Id, ct) is { } profile && done(profile))
            {
                return profile;
            }

            await Task.Delay(100, ct);
        }
    }
}
