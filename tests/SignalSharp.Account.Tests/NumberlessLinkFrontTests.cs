using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Account.Storage;
using SignalSharp.Account.Tests.Groups;
using SignalSharp.Interop.Testing;
using static SignalSharp.Interop.Testing.MockServerMedia;

namespace SignalSharp.Account.Tests;

/// <summary>
/// Issue 12 item 6, the last part: linking to a phone whose account has no phone number (and so no PNI), through
/// the production-style front. The mock makes such an account with <c>createPrimaryDevice({hasE164: false})</c> and,
/// like Signal-Server since August 2026, takes the link only without PNI keys (it hands out no PNI to refill).
/// </summary>
public sealed class NumberlessLinkFrontTests
{
    [Fact]
    public async Task Linking_to_an_account_without_a_number_works_without_PNI_keys_and_texts_go_both_ways()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartWithFrontAsync("Alice", ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-numberless-").FullName;
        try
        {
            var (owner, record, linked) = await LinkNumberlessAsync(mock, config, ct);

            Assert.Null(record.Number);
            Assert.Null(record.Pni);
            Assert.Equal(Guid.Parse(owner["aci"]!.GetValue<string>()), record.Aci);
            Assert.Equal(record.Aci.ToString(), record.Name);
            Assert.Null(linked["pni"]);
            var directory = AccountDirectory.For(config, record.Name);
            Assert.True(File.Exists(Path.Combine(directory, SignalSharp.Store.AccountDatabase.FileName)));

            await using var account = (await LinkedAccount.OpenAsync(directory, cancellationToken: ct))!;
            Assert.Null(account.Record.Number);
            await account.StartAsync(ct);

            await mock.CommandAsync("sendText", new JsonObject { ["from"] = "alice", ["text"] = "hi, no number needed" }, ct);
            await using (var batch = await account.ReceiveAsync(new ReceiveRequest(TimeSpan.FromSeconds(30), false), ct))
            {
                Assert.Equal("hi, no number needed", Assert.IsType<ReceivedMessage>(Assert.Single(batch.Items)).Body);
                await batch.ConfirmAsync(ct);
            }

            var aliceAci = Guid.Parse(mock.Contact("alice")["aci"]!.GetValue<string>());
            await account.SendMessageAsync(new RecipientTarget(RecipientAddress.Aci(new Aci(aliceAci))), new OutgoingMessage("hello from a numberless account", []), ct);
            Assert.Equal("hello from a numberless account", (await mock.WaitForDataMessageAsync("alice", ct))["body"]!.GetValue<string>());
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    // Without a PNI the group server's auth credentials come "without PNI": bound to a stand-in derived from the ACI
    // and the account's salt, which the primary sends in the provisioning message. A client that expected a PNI
    // could neither verify those credentials nor present one, so it could learn no group and send to none.
    [Fact]
    public async Task An_account_without_a_number_learns_its_groups_sends_to_them_over_REST_and_receives_from_them()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartWithFrontAsync("Alice,Bob", ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-numberless-groups-").FullName;
        try
        {
            var (_, record, _) = await LinkNumberlessAsync(mock, config, ct);
            Assert.Null(record.Pni);
            Assert.Equal(16, record.AuthCredentialSalt?.Length);
            await using var account = (await LinkedAccount.OpenAsync(AccountDirectory.For(config, record.Name), cancellationToken: ct))!;
            await account.StartAsync(ct);

            // The numberless account's own phone creates the group and records it in its storage: the linked device
            // learns it from there, which takes a group fetch presented with a credential without PNI.
            await mock.RouteGroupMessagesAsync(["alice", "bob"], ct);
            var group = await mock.CreateGroupAsync("No number group", ["alice", "bob"], by: "nonumber", storageSync: true, storageOf: "nonumber", cancellationToken: ct);
            var learned = await account.Database.Groups.GetAsync(group.GroupId, ct);
            while (learned is null)
            {
                await Task.Delay(100, ct);
                learned = await account.Database.Groups.GetAsync(group.GroupId, ct);
            }

            Assert.Equal("No number group", learned.Title);
            Assert.True(learned.IsMember(record.Aci));
            Assert.Equal(1, account.Groups.CredentialFetches);

            // A group send: the sealed multi-recipient path over REST, its group send token checked by libsignal.
            var target = new GroupTarget(new GroupId(group.GroupId));
            await account.SendMessageAsync(target, new OutgoingMessage("hello group, no number here", []), ct);
            foreach (var at in new[] { "alice", "bob" })
            {
                var arrived = await mock.WaitForGroupMessageAsync(at, cancellationToken: ct);
                Assert.Equal("hello group, no number here", arrived.Body);
                Assert.Equal(record.Aci, arrived.SourceAci);
                Assert.Equal(group.MasterKey, arrived.GroupMasterKey);
            }

            Assert.True(account.LastGroupSend!.MultiRecipient);
            Assert.Equal(0, account.LastGroupSend.FallbackRecipients);
            var api = (await mock.CommandAsync("frontApiStats", null, ct))!;
            Assert.True(api["tokensVerified"]!.GetValue<int>() >= 1);
            Assert.Equal(0, api["tokensRefused"]!.GetValue<int>());

            // A member's group text arrives as a group message of that group.
            await mock.SendGroupTextAsync(group, "alice", "hi group from alice", cancellationToken: ct);
            await using (var batch = await account.ReceiveAsync(new ReceiveRequest(TimeSpan.FromSeconds(30), false), ct))
            {
                var message = Assert.IsType<ReceivedMessage>(Assert.Single(batch.Items));
                Assert.Equal("hi group from alice", message.Body);
                Assert.Equal(group.GroupIdBase64, message.GroupId?.ToBase64());
                await batch.ConfirmAsync(ct);
            }
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    private static async Task<(JsonNode Owner, AccountRecord Record, JsonNode Linked)> LinkNumberlessAsync(MockServer mock, string config, CancellationToken ct)
    {
        var owner = (await mock.CommandAsync("createAccount", new JsonObject { ["name"] = "nonumber", ["hasE164"] = false, ["withContacts"] = true }, ct))!;
        Assert.Null(owner["number"]);
        Assert.Null(owner["pni"]);
        var (record, linked) = await LinkedMock.LinkAsync(mock, config, front: true, "nonumber", ct);
        return (owner, record, linked);
    }
}
