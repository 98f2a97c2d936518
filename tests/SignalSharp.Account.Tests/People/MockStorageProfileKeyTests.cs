using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Account.Storage;
using SignalSharp.Account.Tests.Groups;
using SignalSharp.Interop.Testing;

namespace SignalSharp.Account.Tests.People;

/// <summary>
/// The phone rotates the account's profile key as Signal's primaries do: it writes the new key into the storage
/// service's account record and sends its linked devices a fetch-latest sync. The linked device reads the record
/// (sealed under the account's storage key) and takes the key: stored, and carried by its next message to Alice, whose
/// libsignal reads it. A record whose key is not 32 bytes changes nothing, nor does a record whose key did not change
/// since the last read (a key of our own the record never got stays).
/// </summary>
public sealed class MockStorageProfileKeyTests
{
    [Fact]
    public async Task A_profile_key_the_phone_writes_to_the_account_record_becomes_ours()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice", ct);
        var (mock, account) = (linked.Mock, linked.Account);
        var alice = RecipientAddress.Aci(new Aci(Guid.Parse(mock.Contact("alice")["aci"]!.GetValue<string>())));
        var oldKey = account.Record.ProfileKey!;
        var phoneKey = RandomNumberGenerator.GetBytes(32);

        await mock.CommandAsync("phoneStorageWrite", new JsonObject
        {
            ["account"] = new JsonObject { ["profileKey"] = Convert.ToBase64String(phoneKey) },
            ["fetchLatest"] = true,
        }, ct);
        while (!account.Record.ProfileKey!.AsSpan().SequenceEqual(phoneKey))
        {
            await Task.Delay(100, ct);
        }

        Assert.NotEqual(oldKey, phoneKey);
        Assert.Equal(phoneKey, (await AccountRecord.LoadAsync(account.Database, ct))!.ProfileKey);
        await account.SendMessageAsync(new RecipientTarget(alice), new OutgoingMessage("with the phone's new key", []), ct);
        var atAlice = await mock.WaitForDataMessageAsync("alice", ct);
        Assert.Equal("with the phone's new key", (string?)atAlice["body"]);
        Assert.Equal(Convert.ToBase64String(phoneKey), (string?)atAlice["profileKey"]);

        // A key of the wrong length in the record is not taken.
        var syncs = account.Groups.StorageSyncs;
        await mock.CommandAsync("phoneStorageWrite", new JsonObject
        {
            ["account"] = new JsonObject { ["profileKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)) },
        }, ct);
        await account.Groups.SyncFromStorageAsync(ct);
        Assert.True(account.Groups.StorageSyncs > syncs);
        Assert.Equal(phoneKey, account.Record.ProfileKey);
        Assert.Equal(phoneKey, (await AccountRecord.LoadAsync(account.Database, ct))!.ProfileKey);

        // A key of ours the record never held (a rotation here whose storage write did not land) is not undone by a
        // phone write that leaves the record's key as it was; a key the phone writes later is taken again.
        var localKey = RandomNumberGenerator.GetBytes(32);
        await account.Record.ReplaceProfileKeyAsync(account.Database, localKey, ct);
        await mock.CommandAsync("phoneStorageWrite", new JsonObject
        {
            ["account"] = new JsonObject { ["profileKey"] = Convert.ToBase64String(phoneKey), ["givenName"] = "Phone" },
        }, ct);
        syncs = account.Groups.StorageSyncs;
        await account.Groups.SyncFromStorageAsync(ct);
        Assert.True(account.Groups.StorageSyncs > syncs);
        Assert.Equal(localKey, account.Record.ProfileKey);
        var laterKey = RandomNumberGenerator.GetBytes(32);
        await mock.CommandAsync("phoneStorageWrite", new JsonObject { ["account"] = new JsonObject { ["profileKey"] = Convert.ToBase64String(laterKey) } }, ct);
        await account.Groups.SyncFromStorageAsync(ct);
        Assert.Equal(laterKey, account.Record.ProfileKey);
    }
}
