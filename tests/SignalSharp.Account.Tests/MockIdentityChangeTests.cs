using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Account.Tests.Groups;
using SignalSharp.Interop.Testing;

namespace SignalSharp.Account.Tests;

/// <summary>
/// A contact reinstalls Signal (a new identity key) on the mock server: receive reports the change with the new
/// safety number and marks the contact's message untrusted, a 1:1 send to them fails naming them, and after
/// <c>trust</c> the send reaches the reinstalled app, whose libsignal decrypts it. A group send meanwhile reaches Bob
/// and reports Alice as the member it skipped (untrusted identity), never a bare success.
/// </summary>
public sealed class MockIdentityChangeTests
{
    [Fact]
    public async Task A_reinstalled_contact_is_reported_refused_and_reached_after_trust()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice,Bob", ct);
        var (mock, account) = (linked.Mock, linked.Account);
        var aliceAci = mock.Contact("alice")["aci"]!.GetValue<string>();
        var bobAci = mock.Contact("bob")["aci"]!.GetValue<string>();
        await mock.RouteGroupMessagesAsync(["alice", "bob"], ct);
        var group = await mock.CreateGroupAsync("Trust test", ["alice", "bob"], storageSync: false, cancellationToken: ct);
        Assert.NotNull(await account.Groups.GetOrFetchAsync(group.MasterKey, null, ct));
        var groupTarget = new GroupTarget(new GroupId(group.GroupId));
        var aliceNumber = mock.Contact("alice")["number"]!.GetValue<string>();
        var alice = new RecipientTarget(RecipientAddress.Aci(new Aci(Guid.Parse(aliceAci))));

        // First contact: her key is trusted on first use.
        await mock.CommandAsync("sendText", new JsonObject { ["from"] = "alice", ["text"] = "hello" }, ct);
        var first = Assert.IsType<ReceivedMessage>(Assert.Single(await ReceiveAsync(account, 1, ct)));
        Assert.False(first.UntrustedIdentity);
        var before = Assert.Single(await account.ListIdentitiesAsync(RecipientAddress.Aci(new Aci(Guid.Parse(aliceAci))), ct));
        Assert.Equal(IdentityTrust.TrustedUnverified, before.Trust);

        await mock.CommandAsync("reinstallWithNewIdentity", new JsonObject { ["name"] = "alice" }, ct);
        await mock.CommandAsync("sendText", new JsonObject { ["from"] = "alice", ["text"] = "reinstalled" }, ct);
        var items = await ReceiveAsync(account, 2, ct);
        var change = Assert.IsType<ReceivedIdentityChange>(items[0]);
        Assert.Equal(aliceNumber, change.Sender);
        var after = Assert.Single(await account.ListIdentitiesAsync(RecipientAddress.Aci(new Aci(Guid.Parse(aliceAci))), ct));
        Assert.Equal(after.SafetyNumber, change.SafetyNumber);
        Assert.NotEqual(before.SafetyNumber, after.SafetyNumber);
        Assert.Equal(IdentityTrust.Untrusted, after.Trust);
        var message = Assert.IsType<ReceivedMessage>(items[1]);
        Assert.Equal("reinstalled", message.Body);
        Assert.True(message.UntrustedIdentity);

        // Nothing goes to the new key until the user trusts it; the error names her.
        var refused = await Assert.ThrowsAsync<UntrustedIdentityKeyException>(() => account.SendMessageAsync(alice, new OutgoingMessage("not yet", []), ct));
        Assert.Contains(aliceAci, refused.Message);

        // The group send goes to Bob and names Alice as skipped.
        var toGroup = await account.SendMessageAsync(groupTarget, new OutgoingMessage("to the group, not to her new key", []), ct);
        var skipped = Assert.Single(toGroup.Results!, r => !r.Success);
        Assert.Equal(aliceAci, skipped.ServiceId?.ToString());
        Assert.True(skipped.UntrustedIdentity);
        Assert.True(Assert.Single(toGroup.Results!, r => r.ServiceId?.ToString() == bobAci).Success);
        Assert.Equal("to the group, not to her new key", (await mock.WaitForGroupMessageAsync("bob", cancellationToken: ct)).Body);
        Assert.Equal(0, await mock.GroupQueueSizeAsync("alice", ct));

        await account.TrustAsync(RecipientAddress.Aci(new Aci(Guid.Parse(aliceAci))), new TrustVerifiedSafetyNumber(after.SafetyNumber), ct);
        await account.SendMessageAsync(alice, new OutgoingMessage("welcome back", []), ct);
        Assert.Equal("welcome back", (await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice" }, ct))!["body"]!.GetValue<string>());

        // And the group reaches her again.
        var again = await account.SendMessageAsync(groupTarget, new OutgoingMessage("the group, trusted again", []), ct);
        Assert.All(again.Results!, r => Assert.True(r.Success));
        Assert.Equal("the group, trusted again", (await mock.WaitForGroupMessageAsync("alice", cancellationToken: ct)).Body);
        Assert.Equal("the group, trusted again", (await mock.WaitForGroupMessageAsync("bob", cancellationToken: ct)).Body);
    }

    private static async Task<List<ReceivedItem>> ReceiveAsync(LinkedAccount account, int count, CancellationToken ct)
    {
        var items = new List<ReceivedItem>();
        while (items.Count < count)
        {
            await using var batch = await account.ReceiveAsync(new ReceiveRequest(TimeSpan.FromSeconds(20), true), ct);
            Assert.NotEmpty(batch.Items);
            items.AddRange(batch.Items);
            await batch.ConfirmAsync(ct);
        }

        return items;
    }
}
