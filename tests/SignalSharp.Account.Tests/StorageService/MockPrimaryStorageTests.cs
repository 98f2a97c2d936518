using System.Globalization;
using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Account.Registration;
using SignalSharp.Account.Storage;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Account.Tests.StorageService;

/// <summary>
/// The storage service of a SignalSharp primary (registered with register/verify on Signal's mock), which no phone
/// keeps for it: it creates the manifest itself, at the end of verify and at a start that finds none, and writes its
/// own changes into it. The harness reads what the server stores for the account and decrypts it with node's crypto
/// from the master key alone (interop/mock/accountstorage.mjs), so what it shows is what another device of the
/// account, or a reinstall, would read.
/// </summary>
public sealed class MockPrimaryStorageTests
{
    [Fact]
    public async Task Verify_creates_the_manifest_and_the_primarys_own_changes_are_written_into_it()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync("Alice,Bob", ct);
        using var primary = await RegisteredPrimary.CreateAsync(mock, ct);
        var record = primary.Record;

        var created = await StateAsync(mock, record, ct);
        Assert.Equal("1", (string?)created["version"]);
        Assert.Equal(1, (int)created["sourceDevice"]!);
        Assert.True((bool)created["hasRecordIkm"]!);
        var account = Assert.Single(Records(created))["account"]!;
        Assert.Equal(Convert.ToBase64String(record.ProfileKey!), (string?)account["profileKey"]);

        await using var signal = await primary.OpenAsync(ct);
        await signal.StartAsync(ct);
        await signal.StartChecks;
        // Creating is done once: the start finds the manifest and leaves it.
        Assert.Equal("1", (string?)(await StateAsync(mock, record, ct))["version"]);

        await signal.People.UpdateProfileAsync(new ProfileUpdate("Ada", "Lovelace", null, null), ct);
        await signal.People.SetBlockedAsync([AciOf(mock, "alice")], [], blocked: true, ct);
        await signal.People.UpdateContactNameAsync(AciOf(mock, "bob"), "Bobby", ct);
        var group = await signal.CreateGroupAsync(new GroupChangeRequest { Name = "Primary's group" }, ct);
        var masterKey = (await signal.Database.Groups.GetAsync(group.GroupId.Bytes.ToArray(), ct))!.MasterKey;

        var state = await StateAsync(mock, record, ct);
        Assert.Equal("5", (string?)state["version"]);
        Assert.Equal(1, (int)state["sourceDevice"]!);
        Assert.Equal(0, (int)state["missing"]!);
        Assert.Equal(0, (int)state["orphans"]!);
        account = Assert.Single(Records(state), r => r["account"] is not null)["account"]!;
        Assert.Equal("Ada", (string?)account["givenName"]);
        Assert.Equal("Lovelace", (string?)account["familyName"]);
        Assert.Equal(Convert.ToBase64String(record.ProfileKey!), (string?)account["profileKey"]);
        var alice = ContactOf(state, mock, "alice");
        Assert.True((bool)alice["blocked"]!);
        Assert.False((bool)alice["whitelisted"]!);
        Assert.Equal("Bobby", (string?)ContactOf(state, mock, "bob")["systemGivenName"]);
        var stored = Assert.Single(Records(state), r => r["groupV2"] is not null)["groupV2"]!;
        Assert.Equal(Convert.ToBase64String(masterKey), (string?)stored["masterKey"]);
        Assert.True((bool)stored["whitelisted"]!);
        Assert.Equal(4, signal.StorageWriteBack.Writes);
    }

    [Fact]
    public async Task A_start_that_finds_no_manifest_creates_one_from_what_the_primary_knows()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync("Alice,Bob", ct);
        using var primary = await RegisteredPrimary.CreateAsync(mock, ct);
        var record = primary.Record;
        byte[] masterKey;
        await using (var signal = await primary.OpenAsync(ct))
        {
            await signal.StartAsync(ct);
            await signal.People.UpdateProfileAsync(new ProfileUpdate("Grace", "Hopper", null, null), ct);
            await signal.People.SetBlockedAsync([AciOf(mock, "alice")], [], blocked: true, ct);
            await signal.People.UpdateContactNameAsync(AciOf(mock, "bob"), "Bobby", ct);
            var created = await signal.CreateGroupAsync(new GroupChangeRequest { Name = "Blocked later" }, ct);
            await signal.People.SetBlockedAsync([], [created.GroupId], blocked: true, ct);
            masterKey = (await signal.Database.Groups.GetAsync(created.GroupId.Bytes.ToArray(), ct))!.MasterKey;
        }

        // The storage service loses everything it held for the account.
        await mock.CommandAsync("accountStorageClear", new JsonObject { ["aci"] = record.Aci.ToString() }, ct);
        Assert.Null((string?)(await StateAsync(mock, record, ct))["version"]);

        await using (var signal = await primary.OpenAsync(ct))
        {
            // Meanwhile the primary learned Alice's number as well.
            await signal.Database.Recipients.ResolveAsync(Guid.Parse(mock.Contact("alice")["aci"]!.GetValue<string>()), null,
                mock.Contact("alice")["number"]!.GetValue<string>(), ct);
            await signal.StartAsync(ct);
            await signal.StartChecks;
            Assert.Equal(1, signal.StorageWriteBack.Writes);
        }

        var state = await StateAsync(mock, record, ct);
        Assert.Equal("1", (string?)state["version"]);
        Assert.True((bool)state["hasRecordIkm"]!);
        Assert.Equal(0, (int)state["missing"]!);
        Assert.Equal(0, (int)state["orphans"]!);
        var account = Assert.Single(Records(state), r => r["account"] is not null)["account"]!;
        Assert.Equal("Grace", (string?)account["givenName"]);
        Assert.Equal("Hopper", (string?)account["familyName"]);
        Assert.Equal(Convert.ToBase64String(record.ProfileKey!), (string?)account["profileKey"]);
        var alice = ContactOf(state, mock, "alice");
        Assert.True((bool)alice["blocked"]!);
        Assert.Equal(mock.Contact("alice")["number"]!.GetValue<string>(), (string?)alice["e164"]);
        var bob = ContactOf(state, mock, "bob");
        Assert.False((bool)bob["blocked"]!);
        Assert.True((bool)bob["whitelisted"]!);
        Assert.Equal("Bobby", (string?)bob["systemGivenName"]);
        var group = Assert.Single(Records(state), r => r["groupV2"] is not null)["groupV2"]!;
        Assert.Equal(Convert.ToBase64String(masterKey), (string?)group["masterKey"]);
        Assert.True((bool)group["blocked"]!);
        Assert.Equal(4, Records(state).Count);
    }

    [Fact]
    public async Task A_change_that_finds_the_manifest_gone_creates_it_with_the_change_in_it()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync("Alice,Bob", ct);
        using var primary = await RegisteredPrimary.CreateAsync(mock, ct);
        var record = primary.Record;
        await using var signal = await primary.OpenAsync(ct);
        await signal.StartAsync(ct);
        await signal.StartChecks;
        await mock.CommandAsync("accountStorageClear", new JsonObject { ["aci"] = record.Aci.ToString() }, ct);

        await signal.People.UpdateContactNameAsync(AciOf(mock, "bob"), "Bobby", ct);
        await signal.People.SetBlockedAsync([AciOf(mock, "alice")], [], blocked: true, ct);

        var state = await StateAsync(mock, record, ct);
        Assert.Equal("2", (string?)state["version"]);
        Assert.Equal(0, (int)state["missing"]!);
        Assert.Equal(0, (int)state["orphans"]!);
        Assert.Equal(Convert.ToBase64String(record.ProfileKey!), (string?)Assert.Single(Records(state), r => r["account"] is not null)["account"]!["profileKey"]);
        Assert.Equal("Bobby", (string?)ContactOf(state, mock, "bob")["systemGivenName"]);
        Assert.True((bool)ContactOf(state, mock, "alice")["blocked"]!);
        Assert.Equal(3, Records(state).Count);
    }

    [Fact]
    public async Task A_manifest_another_device_created_first_is_merged_and_keeps_its_records()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync("Alice,Bob", ct);
        using var primary = await RegisteredPrimary.CreateAsync(mock, ct);
        var record = primary.Record;
        await mock.CommandAsync("accountStorageClear", new JsonObject { ["aci"] = record.Aci.ToString() }, ct);
        // Just before the primary's first write lands, another device of the account creates a manifest with a
        // record for Alice (which the primary has too) and an account record.
        await mock.CommandAsync("accountStorageWriteFirst", new JsonObject
        {
            ["aci"] = record.Aci.ToString(),
            ["masterKey"] = Convert.ToBase64String(record.MasterKey!),
            ["contacts"] = new JsonArray(new JsonObject { ["aci"] = mock.Contact("alice")["aci"]!.GetValue<string>(), ["note"] = "written by the other device" }),
            ["account"] = new JsonObject { ["givenName"] = "Other device" },
        }, ct);

        await using var signal = await primary.OpenAsync(ct);
        var db = signal.Database;
        foreach (var (name, given) in new[] { ("alice", "Ally"), ("bob", "Bobby") })
        {
            var known = await db.Recipients.GetOrCreateByAciAsync(Guid.Parse(mock.Contact(name)["aci"]!.GetValue<string>()), ct);
            await db.Contacts.SetNameAsync(known.Id, given, ct);
        }

        await signal.StartAsync(ct);
        await signal.StartChecks;

        Assert.Equal(1, (int)(await mock.CommandAsync("accountStorageConflicts", new JsonObject(), ct))!);
        Assert.Equal(1, signal.StorageWriteBack.Conflicts);
        var state = await StateAsync(mock, record, ct);
        Assert.Equal("2", (string?)state["version"]);
        Assert.Equal(0, (int)state["missing"]!);
        Assert.Equal(0, (int)state["orphans"]!);
        // The other device's records stand as it wrote them; the primary added what they lacked.
        Assert.Equal("Other device", (string?)Assert.Single(Records(state), r => r["account"] is not null)["account"]!["givenName"]);
        var alice = ContactOf(state, mock, "alice");
        Assert.Equal("written by the other device", (string?)alice["note"]);
        Assert.Null((string?)alice["systemGivenName"]);
        Assert.Equal("Bobby", (string?)ContactOf(state, mock, "bob")["systemGivenName"]);
        Assert.Equal(3, Records(state).Count);
    }

    [Fact]
    public async Task A_device_linked_to_the_primary_later_learns_its_groups_from_the_manifest()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync("Alice", ct);
        using var primary = await RegisteredPrimary.CreateAsync(mock, ct);
        var secondConfig = Directory.CreateTempSubdirectory("signalsharp-primary-storage-second-").FullName;
        try
        {
            await using var signal = await primary.OpenAsync(ct);
            await signal.StartAsync(ct);
            await signal.People.UpdateProfileAsync(new ProfileUpdate("Ada", null, null, null), ct);
            var group = await signal.CreateGroupAsync(new GroupChangeRequest { Name = "Found by the new device" }, ct);

            await primary.LinkSecondDeviceAsync(signal, secondConfig, ct);
            await using var second = (await LinkedAccount.OpenAsync(AccountDirectory.For(secondConfig, primary.Record.Number!), cancellationToken: ct))!;
            await second.StartAsync(ct);

            // The new device reads the storage service at its start and fetches the group it lists.
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(TimeSpan.FromSeconds(30));
            Store.Groups.GroupRecord? learned;
            while ((learned = await second.Database.Groups.GetAsync(group.GroupId.Bytes.ToArray(), ct)) is null)
            {
                await Task.Delay(100, wait.Token);
            }

            Assert.Equal("Found by the new device", learned.Title);
        }
        finally
        {
            try
            {
                Directory.Delete(secondConfig, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static RecipientAddress AciOf(MockServer mock, string name) =>
        RecipientAddress.Aci(new Aci(Guid.Parse(mock.Contact(name)["aci"]!.GetValue<string>())));

    private static async Task<JsonNode> StateAsync(MockServer mock, AccountRecord record, CancellationToken ct) =>
        (await mock.CommandAsync("accountStorage", new JsonObject
        {
            ["aci"] = record.Aci.ToString(),
            ["masterKey"] = Convert.ToBase64String(record.MasterKey!),
        }, ct))!;

    private static List<JsonNode> Records(JsonNode state) => [.. state["records"]!.AsArray().Select(r => r!)];

    private static JsonNode ContactOf(JsonNode state, MockServer mock, string name)
    {
        var aci = mock.Contact(name)["aci"]!.GetValue<string>();
        return Assert.Single(Records(state), r => (string?)r["contact"]?["aci"] == aci)["contact"]!;
    }
}
