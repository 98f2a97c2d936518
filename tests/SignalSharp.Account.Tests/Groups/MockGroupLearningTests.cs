using System.Text.Json.Nodes;
using SignalSharp.Account.Groups;
using SignalSharp.Account.Linking;
using SignalSharp.Account.Storage;
using SignalSharp.Account.Api;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Profiles;
using SignalSharp.Store.Groups;

namespace SignalSharp.Account.Tests.Groups;

/// <summary>
/// How a linked account learns groups, against Signal's real mock server: the phone creates a group with two
/// contacts, records it in its storage service and tells its linked devices to fetch storage; the account reads
/// the manifest and GroupV2Record with keys from its master key, fetches the group from the group server with an
/// auth credential presentation the server accepts, and stores it. A group known to nobody's storage is learned
/// from the GroupContextV2 of a message sent in it.
/// </summary>
public sealed class MockGroupLearningTests
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Learns_groups_from_storage_sync_and_from_an_unknown_group_context()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync(contacts: "Alice,Bob", ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-groups-").FullName;
        try
        {
            var profilePath = Path.Combine(config, "mock.json");
            mock.WriteServerProfile(profilePath);
            var profile = ServerProfile.Load(profilePath);
            Task<JsonNode?>? phoneSide = null;
            var linker = new DeviceLinker(profile, config) { OneTimePreKeyCount = 10 };
            var record = await linker.LinkAsync("SignalSharp groups test", uri =>
                phoneSide = mock.CommandAsync("link", new JsonObject { ["provisionUrl"] = uri.OriginalString }, ct), ct);
            await phoneSide!.WaitAsync(ct);
            Assert.NotNull(record.MasterKey);

            await using var account = (await LinkedAccount.OpenAsync(AccountDirectory.For(config, record.Name), cancellationToken: ct))!;
            await account.StartAsync(ct);

            // (a)+(b): the phone's group reaches the account through storage and the fetch-storage sync.
            var group = await mock.CreateGroupAsync("Core group", ["alice", "bob"], cancellationToken: ct);
            var learned = await WaitForGroupAsync(account, group.GroupId, 0, ct);
            Assert.Equal(group.MasterKey, learned.MasterKey);
            Assert.Equal("Core group", learned.Title);
            Assert.Equal(0u, learned.Revision);
            Assert.Empty(learned.PendingMembers);
            Assert.Empty(learned.RequestingMembers);
            Assert.False(learned.IsAnnouncementOnly);
            Assert.NotNull(learned.EndorsementsResponse);

            var phoneAci = Guid.Parse(mock.Phone["aci"]!.GetValue<string>());
            var aliceAci = Guid.Parse(mock.Contact("alice")["aci"]!.GetValue<string>());
            var bobAci = Guid.Parse(mock.Contact("bob")["aci"]!.GetValue<string>());
            Assert.Equal([phoneAci, aliceAci, bobAci], group.Members.Select(m => m.Aci));
            Assert.Equal(group.Members.Count, learned.Members.Count);
            foreach (var expected in group.Members)
            {
                var member = Assert.Single(learned.Members, m => m.Aci == expected.Aci);
                Assert.Equal(expected.Role, member.Role);
                Assert.Equal(2, member.Role);
                Assert.Equal(expected.ProfileKey, member.ProfileKey);
            }

            // The phone is this account: its profile key in the group is the one provisioning gave us.
            Assert.Equal(record.ProfileKey, learned.Members.Single(m => m.Aci == record.Aci).ProfileKey);
            // The contacts' profile keys reached the recipients (sealed sends to them get access keys).
            foreach (var contact in new[] { aliceAci, bobAci })
            {
                var recipient = await account.Database.Recipients.GetByAciAsync(contact, ct);
                Assert.Equal(group.Members.Single(m => m.Aci == contact).ProfileKey, recipient?.ProfileKey);
            }

            Assert.True(account.Groups.StorageSyncs >= 1);
            Assert.Equal(1, account.Groups.CredentialFetches);

            // End to end: the group learned from storage is one the daemon can send to; both contacts decrypt.
            await mock.RouteGroupMessagesAsync(["alice", "bob"], ct);
            var sent = await account.SendMessageAsync(new GroupTarget(new GroupId(group.GroupId)), new OutgoingMessage("to the learned group", []), ct);
            foreach (var at in new[] { "alice", "bob" })
            {
                var got = await mock.WaitForGroupMessageAsync(at, cancellationToken: ct);
                Assert.Equal("to the learned group", got.Body);
                Assert.Equal((ulong)sent.Timestamp, got.Timestamp);
                Assert.Equal(group.MasterKey, got.GroupMasterKey);
                Assert.Equal(group.Revision, got.GroupRevision);
            }

            // (c): a group the phone keeps out of storage; Alice's message in it carries its GroupContextV2.
            var hidden = await mock.CreateGroupAsync("Hidden group", ["alice"], storageSync: false, cancellationToken: ct);
            Assert.Null(await account.Database.Groups.GetAsync(hidden.GroupId, ct));
            var fetchesBefore = account.Groups.GroupFetches;
            await mock.SendGroupTextAsync(hidden, "alice", "hello hidden group", cancellationToken: ct);
            var fromContext = await WaitForGroupAsync(account, hidden.GroupId, 0, ct);
            Assert.Equal("Hidden group", fromContext.Title);
            Assert.Equal(new[] { phoneAci, aliceAci }.Order(), fromContext.Members.Select(m => m.Aci).Order());
            Assert.Equal(fetchesBefore + 1, account.Groups.GroupFetches);
            // Today's credential came from the settings cache: the server was asked once for both groups.
            Assert.Equal(1, account.Groups.CredentialFetches);

            // The week of credentials lives in the settings: a new cache over the same database answers today and
            // the coming days without the server (its connection is never started, so asking it would fail).
            await using (var offline = new Service.Transport.ChatConnection(profile))
            {
                var cache = new GroupAuthCredentialCache(account.Database, new Service.Groups.GroupCredentialsApi(offline),
                    ZkGroup.ServerPublicParams.Deserialize(profile.ZkGroupServerPublicParams), record.Aci, record.Pni, record.AuthCredentialSalt);
                var now = DateTimeOffset.UtcNow;
                var today = (ulong)(now.ToUnixTimeSeconds() / 86400 * 86400);
                Assert.Equal(today, (await cache.GetTodayAsync(now, ct)).RedemptionTime);
                Assert.Equal(today + (6 * 86400), (await cache.GetTodayAsync(now.AddDays(6), ct)).RedemptionTime);
                Assert.Equal(0, cache.ServerFetches);
            }

            // A context whose revision the store already has costs no fetch; GetOrFetchAsync answers from the store.
            var again = await account.Groups.GetOrFetchAsync(hidden.MasterKey, 0, ct);
            Assert.Equal(hidden.GroupId, again?.GroupId);
            Assert.Equal(fetchesBefore + 1, account.Groups.GroupFetches);
            // A newer revision than stored makes it fetch (the server still has revision 0, which is what is kept).
            var refreshed = await account.Groups.GetOrFetchAsync(hidden.MasterKey, 1, ct);
            Assert.Equal(0u, refreshed?.Revision);
            Assert.Equal(fetchesBefore + 2, account.Groups.GroupFetches);

            // Group changes: the phone invites Bob and the change reaches this device as the phone's Sent transcript
            // (GroupContextV2 at the new revision): the account follows to that revision, Bob pending (invited).
            var invitedAt = await mock.InviteToGroupAsync(hidden, "bob", cancellationToken: ct);
            Assert.Equal(1u, invitedAt);
            var afterInvite = await WaitForGroupAsync(account, hidden.GroupId, invitedAt, ct);
            Assert.Equal([bobAci], afterInvite.PendingMembers);
            Assert.DoesNotContain(afterInvite.Members, m => m.Aci == bobAci);
            Assert.False(afterInvite.IsMember(bobAci));
            var timerAt = await mock.SetGroupTimerAsync(hidden, 3600, cancellationToken: ct);
            Assert.Equal(2u, (await WaitForGroupAsync(account, hidden.GroupId, timerAt, ct)).Revision);

            // The change log from revision 0 answers to the same presentation auth: one entry per revision, each
            // with its state; new send endorsements come only when the cached ones are about to expire.
            await using (var offline = new Service.Transport.ChatConnection(profile))
            {
                var serverParams = ZkGroup.ServerPublicParams.Deserialize(profile.ZkGroupServerPublicParams);
                var cache = new GroupAuthCredentialCache(account.Database, new Service.Groups.GroupCredentialsApi(offline), serverParams, record.Aci, record.Pni, record.AuthCredentialSalt);
                var secretParams = ZkGroup.Groups.GroupSecretParams.DeriveFromMasterKey(new ZkGroup.Groups.GroupMasterKey(hidden.MasterKey));
                using var http = new Service.Http.ServiceHttpClient(profile);
                var server = new Service.Groups.GroupServerClient(http);
                var credential = await cache.GetTodayAsync(DateTimeOffset.UtcNow, ct);
                var farFuture = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds();
                var log = Proto.GroupServer.GroupChangesMessage.Parser.ParseFrom(await server.GetGroupLogsAsync(
                    secretParams.PublicParams.Serialize(), credential.Present(serverParams, secretParams), 0, farFuture, ct));
                Assert.Equal([0u, 1u, 2u], log.GroupChanges.Select(c => c.GroupState.Version));
                Assert.True(log.GroupSendEndorsementsResponse.IsEmpty);
                var expiring = Proto.GroupServer.GroupChangesMessage.Parser.ParseFrom(await server.GetGroupLogsAsync(
                    secretParams.PublicParams.Serialize(), credential.Present(serverParams, secretParams), 1, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ct));
                Assert.Equal([1u, 2u], expiring.GroupChanges.Select(c => c.GroupState.Version));
                Assert.False(expiring.GroupSendEndorsementsResponse.IsEmpty);
                Assert.Equal([bobAci], GroupStateDecryptor.Decrypt(secretParams, expiring.GroupChanges[^1].GroupState, null).Pending.Select(p => p.Uuid));
            }

            // A master key the group server has never seen: no group, and nothing stored.
            Assert.Null(await account.Groups.GetOrFetchAsync(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), null, ct));

            // Both groups are listed; a storage sync with an unchanged manifest reads nothing more.
            Assert.Equal(2, (await account.Database.Groups.ListAsync(ct)).Count);
            var syncs = account.Groups.StorageSyncs;
            await account.Groups.SyncFromStorageAsync(ct);
            Assert.Equal(syncs, account.Groups.StorageSyncs);
        }
        finally
        {
            try
            {
                Directory.Delete(config, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<GroupRecord> WaitForGroupAsync(LinkedAccount account, byte[] groupId, uint revision, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(WaitLimit);
        while (true)
        {
            if (await account.Database.Groups.GetAsync(groupId, ct) is { } found && found.Revision >= revision)
            {
                return found;
            }

            await Task.Delay(100, limit.Token);
        }
    }
}
