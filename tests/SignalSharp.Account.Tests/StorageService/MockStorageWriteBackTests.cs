using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Account.Tests.Groups;
using SignalSharp.Interop.Testing;
using static SignalSharp.Account.Tests.Everyday.EverydayMockFixture;

namespace SignalSharp.Account.Tests.StorageService;

/// <summary>
/// Our own changes written back to the storage service against Signal's mock: the phone (a mock primary) reads its
/// storage state with its own keys through the mock's StorageState, so what it shows is what Signal's apps would
/// read. Records the phone wrote keep every field it set (also fields SignalSharp does not know), a changed record
/// comes under a new id, the phone is told to fetch the new manifest, and a write the phone slips in between our
/// read and our write is merged rather than lost.
/// </summary>
public sealed class MockStorageWriteBackTests
{
    [Fact]
    public async Task Blocking_a_contact_marks_its_record_blocked_and_keeps_everything_the_phone_wrote()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice,Bob", ct);
        var mock = linked.Mock;
        await PhoneWritesAsync(mock, new JsonObject
        {
            ["alice"] = new JsonObject { ["note"] = "met at the conference", ["archived"] = true, ["systemGivenName"] = "Ally", ["whitelisted"] = true },
            ["bob"] = new JsonObject { ["note"] = "Bob's note", ["whitelisted"] = true },
        }, ct);
        var before = await StateAsync(mock, ct);

        await linked.Account.People.SetBlockedAsync([Address(mock.Contact("alice")["number"]!.GetValue<string>())], [], blocked: true, ct);

        var after = await StateAsync(mock, ct);
        Assert.Equal(before.Version + 1, after.Version);
        Assert.Equal(before.Records.Count, after.Records.Count);
        var alice = ContactOf(after, mock, "alice");
        Assert.True((bool)alice["contact"]!["blocked"]!);
        Assert.False((bool)alice["contact"]!["whitelisted"]!);
        // Note and archived are fields SignalSharp's record type does not declare: they survive as unknown fields.
        Assert.Equal("met at the conference", (string?)alice["contact"]!["note"]);
        Assert.True((bool)alice["contact"]!["archived"]!);
        Assert.Equal("Ally", (string?)alice["contact"]!["systemGivenName"]);
        Assert.NotEqual((string?)ContactOf(before, mock, "alice")["key"], (string?)alice["key"]);

        var bob = ContactOf(after, mock, "bob");
        Assert.Equal((string?)ContactOf(before, mock, "bob")["key"], (string?)bob["key"]);
        Assert.Equal("Bob's note", (string?)bob["contact"]!["note"]);
        Assert.False((bool)bob["contact"]!["blocked"]!);

        var fetch = await mock.WaitForSyncMessageAsync("phone", "fetchLatest", cancellationToken: ct);
        Assert.Equal(linked.Account.Record.Aci.ToString(), fetch.SourceAci);
        Assert.Equal(linked.Account.Record.DeviceId, fetch.SourceDeviceId);

        // Unblocking turns profile sharing back on, as Signal's apps do.
        await linked.Account.People.SetBlockedAsync([Address(mock.Contact("alice")["number"]!.GetValue<string>())], [], blocked: false, ct);
        var unblocked = ContactOf(await StateAsync(mock, ct), mock, "alice");
        Assert.False((bool)unblocked["contact"]!["blocked"]!);
        Assert.True((bool)unblocked["contact"]!["whitelisted"]!);
        Assert.Equal("met at the conference", (string?)unblocked["contact"]!["note"]);
        Assert.Equal(2, linked.Account.StorageWriteBack.Writes);
    }

    [Fact]
    public async Task A_write_the_phone_makes_between_our_read_and_our_write_is_merged_and_ours_retried()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice,Bob", ct);
        var mock = linked.Mock;
        await PhoneWritesAsync(mock, new JsonObject { ["alice"] = new JsonObject { ["note"] = "first note" } }, ct);
        var before = await StateAsync(mock, ct);

        // Just before our write lands, the phone changes Alice's record itself and adds one for Bob.
        await mock.CommandAsync("storageConflictOnce", new JsonObject
        {
            ["contacts"] = new JsonObject
            {
                ["alice"] = new JsonObject { ["note"] = "changed on the phone meanwhile" },
                ["bob"] = new JsonObject { ["note"] = "added on the phone meanwhile" },
            },
        }, ct);
        await linked.Account.People.SetBlockedAsync([Address(mock.Contact("alice")["number"]!.GetValue<string>())], [], blocked: true, ct);

        Assert.Equal(1, (int)(await mock.CommandAsync("storageConflicts", new JsonObject(), ct))!);
        Assert.Equal(1, linked.Account.StorageWriteBack.Conflicts);
        var after = await StateAsync(mock, ct);
        Assert.Equal(before.Version + 2, after.Version);
        var alice = ContactOf(after, mock, "alice");
        Assert.True((bool)alice["contact"]!["blocked"]!);
        Assert.Equal("changed on the phone meanwhile", (string?)alice["contact"]!["note"]);
        Assert.Equal("added on the phone meanwhile", (string?)ContactOf(after, mock, "bob")["contact"]!["note"]);
    }

    [Fact]
    public async Task A_contact_name_and_a_created_group_are_written_back()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice,Bob", ct);
        var mock = linked.Mock;
        await PhoneWritesAsync(mock, new JsonObject { ["bob"] = new JsonObject { ["note"] = "kept" } }, ct);

        await linked.Account.People.UpdateContactNameAsync(Address(mock.Contact("bob")["number"]!.GetValue<string>()), "Bobby Tables", ct);
        var bob = ContactOf(await StateAsync(mock, ct), mock, "bob");
        Assert.Equal("Bobby Tables", (string?)bob["contact"]!["systemGivenName"]);
        Assert.Equal("kept", (string?)bob["contact"]!["note"]);

        var created = await linked.Account.CreateGroupAsync(new GroupChangeRequest { Name = "Storage group" }, ct);
        var masterKey = (await linked.Account.Database.Groups.GetAsync(created.GroupId.Bytes.ToArray(), ct))!.MasterKey;
        var groups = (await StateAsync(mock, ct)).Records.Where(r => r["groupV2"] is not null).ToList();
        var group = Assert.Single(groups, g => (string?)g["groupV2"]!["masterKey"] == Convert.ToBase64String(masterKey));
        Assert.True((bool)group["groupV2"]!["whitelisted"]!);
        Assert.False((bool)group["groupV2"]!["blocked"]!);
        // Bob's record was not touched by the group's write.
        Assert.Equal((string?)bob["key"], (string?)ContactOf(await StateAsync(mock, ct), mock, "bob")["key"]);
    }

    [Fact]
    public async Task Our_profile_name_goes_into_the_account_record_the_phone_keeps()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice", ct);
        var mock = linked.Mock;
        await mock.CommandAsync("phoneStorageWrite", new JsonObject
        {
            ["account"] = new JsonObject { ["givenName"] = "Old", ["familyName"] = "Name", ["readReceipts"] = true, ["avatarUrlPath"] = "profiles/phone-avatar" },
        }, ct);

        await linked.Account.People.UpdateProfileAsync(new ProfileUpdate("Ada", "Lovelace", null, null), ct);
        var account = Assert.Single((await StateAsync(mock, ct)).Records, r => r["account"] is not null)["account"]!;
        Assert.Equal("Ada", (string?)account["givenName"]);
        Assert.Equal("Lovelace", (string?)account["familyName"]);
        // Read receipts are a field SignalSharp's record type does not declare; the avatar was not touched.
        Assert.True((bool)account["readReceipts"]!);
        Assert.Equal("profiles/phone-avatar", (string?)account["avatarUrlPath"]);

        await linked.Account.People.UpdateProfileAsync(new ProfileUpdate(null, "", null, null) { RemoveAvatar = true }, ct);
        account = Assert.Single((await StateAsync(mock, ct)).Records, r => r["account"] is not null)["account"]!;
        Assert.Equal("Ada", (string?)account["givenName"]);
        Assert.Null((string?)account["familyName"]);
        Assert.Null((string?)account["avatarUrlPath"]);
        Assert.True((bool)account["readReceipts"]!);
    }

    private sealed record StorageStateView(long Version, IReadOnlyList<JsonNode> Records);

    private static async Task PhoneWritesAsync(MockServer mock, JsonObject contacts, CancellationToken ct) =>
        await mock.CommandAsync("phoneStorageWrite", new JsonObject { ["contacts"] = contacts }, ct);

    private static async Task<StorageStateView> StateAsync(MockServer mock, CancellationToken ct)
    {
        var state = (await mock.CommandAsync("storageState", new JsonObject(), ct))!;
        return new StorageStateView(long.Parse((string)state["version"]!, System.Globalization.CultureInfo.InvariantCulture), [.. state["records"]!.AsArray().Select(r => r!)]);
    }

    private static JsonNode ContactOf(StorageStateView state, MockServer mock, string name)
    {
        var aci = mock.Contact(name)["aci"]!.GetValue<string>();
        return Assert.Single(state.Records, r => (string?)r["contact"]?["aci"] == aci);
    }
}
