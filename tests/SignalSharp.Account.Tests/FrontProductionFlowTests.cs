using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Account.Storage;
using SignalSharp.Account.Tests.Groups;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Profiles;
using static SignalSharp.Interop.Testing.MockServerMedia;

namespace SignalSharp.Account.Tests;

/// <summary>
/// The whole flow through the production-style front (interop/mock/front) instead of the plain mock: a profile in
/// production's order (the HTTP/2 host, then the HTTP/1.1 one) and naming no gRPC method, so the upload form and the
/// multi-recipient send go over the chat sockets' REST routes, which the front translates for the mock (its gRPC
/// allow list is empty). Link, text both ways, attachments both ways on CDN 3 (TUS at production's paths) and CDN 2
/// (GCS-style), each upload cut halfway and resumed, a group send whose Group-Send-Token the front checks with
/// libsignal's server-side verify, and reactions. The mock's devices decrypt everything we send.
/// </summary>
public sealed class FrontProductionFlowTests
{
    [Fact]
    public async Task Link_texts_attachments_on_CDN_2_and_3_a_group_send_and_reactions_pass_through_the_production_front()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartWithFrontAsync("Alice,Bob", ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-front-flow-").FullName;
        try
        {
            // Link through the front.
            var (record, _) = await LinkedMock.LinkAsync(mock, config, front: true, "phone", ct);
            Assert.Empty(ServerProfile.Load(Path.Combine(config, "front.json")).GrpcMethods);
            await using var account = (await LinkedAccount.OpenAsync(AccountDirectory.For(config, record.Name), cancellationToken: ct))!;
            await account.StartAsync(ct);
            var aliceNumber = mock.Contact("alice")["number"]!.GetValue<string>();
            var aliceAci = Guid.Parse(mock.Contact("alice")["aci"]!.GetValue<string>());
            while (await account.Database.Contacts.GetByE164Async(aliceNumber, ct) is null)
            {
                await Task.Delay(100, ct);
            }

            var alice = new RecipientTarget(RecipientAddress.PhoneNumber(aliceNumber));

            // Text both ways.
            await mock.CommandAsync("sendText", new JsonObject { ["from"] = "alice", ["text"] = "hi through the front" }, ct);
            Assert.Equal("hi through the front", Assert.IsType<ReceivedMessage>(Assert.Single(await ReceiveAsync(account, 1, ct))).Body);
            await account.SendMessageAsync(alice, new OutgoingMessage("hello back", []), ct);
            Assert.Equal("hello back", (await mock.WaitForDataMessageAsync("alice", ct))["body"]!.GetValue<string>());

            // Attachments out on CDN 3 and CDN 2, each upload cut halfway: the client resumes, Alice decrypts.
            foreach (var cdn in new[] { 3, 2 })
            {
                await mock.CommandAsync("frontUploads", new JsonObject { ["uploadCdn"] = cdn, ["cutFraction"] = 0.5 }, ct);
                var data = RandomNumberGenerator.GetBytes(300_000);
                await account.SendMessageAsync(alice, new OutgoingMessage($"on CDN {cdn}", [new OutgoingAttachment(data, $"cdn{cdn}.bin", null)]), ct);
                var atAlice = await mock.WaitForAttachmentMessageAsync("alice", cancellationToken: ct);
                var arrived = Assert.Single(atAlice["attachments"]!.AsArray())!;
                Assert.Null(arrived["error"]);
                Assert.Equal(cdn, arrived["cdnNumber"]!.GetValue<int>());
                Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), arrived["sha256"]!.GetValue<string>());
            }

            var api = (await mock.CommandAsync("frontApiStats", null, ct))!;
            Assert.Equal(2, api["cuts"]!.GetValue<int>());
            Assert.Equal([3, 2], api["stored"]!.AsArray().Select(s => s!["cdn"]!.GetValue<int>()));

            // Attachments in, from CDN 3 (the mock's) and CDN 2 (the front's).
            foreach (var cdn in new[] { 3, 2 })
            {
                var data = RandomNumberGenerator.GetBytes(100_000);
                await mock.SendAttachmentsAsync("alice", [new ContactAttachment(Data: data, FileName: "in.bin", CdnNumber: cdn)], $"from CDN {cdn}", cancellationToken: ct);
                var message = Assert.IsType<ReceivedMessage>(Assert.Single(await ReceiveAsync(account, 1, ct)));
                Assert.Equal(data, Assert.Single(message.Attachments).Data!.Value.ToArray());
            }

            // A group send over REST multi_recipient, its token checked by libsignal in the front, then a group reaction.
            await mock.RouteGroupMessagesAsync(["alice", "bob"], ct);
            var group = await mock.CreateGroupAsync("Front group", ["alice", "bob"], storageSync: true, cancellationToken: ct);
            while (await account.Database.Groups.GetAsync(group.GroupId, ct) is null)
            {
                await Task.Delay(100, ct);
            }

            var target = new GroupTarget(new GroupId(group.GroupId));
            await account.SendMessageAsync(target, new OutgoingMessage("hello group via REST", []), ct);
            foreach (var at in new[] { "alice", "bob" })
            {
                Assert.Equal("hello group via REST", (await mock.WaitForGroupMessageAsync(at, cancellationToken: ct)).Body);
            }

            Assert.True(account.LastGroupSend!.MultiRecipient);
            Assert.Equal(0, account.LastGroupSend.FallbackRecipients);
            await account.SendReactionAsync(target, new OutgoingReaction("👍", RecipientAddress.Aci(new Aci(aliceAci)), 1234567, false), ct);
            foreach (var at in new[] { "alice", "bob" })
            {
                Assert.Equal("👍", (await mock.WaitForGroupMessageAsync(at, cancellationToken: ct)).ReactionEmoji);
            }

            Assert.True(account.LastGroupSend.MultiRecipient);

            // 1:1 reaction.
            await account.SendReactionAsync(alice, new OutgoingReaction("🎉", RecipientAddress.Aci(new Aci(aliceAci)), 7654321, false), ct);
            Assert.Equal("🎉", (await mock.WaitForDataMessageAsync("alice", ct))["reaction"]!["emoji"]!.GetValue<string>());

            // The REST routes were taken, the tokens verified, and no gRPC call reached the mock.
            api = (await mock.CommandAsync("frontApiStats", null, ct))!;
            Assert.True(api["tokensVerified"]!.GetValue<int>() >= 2);
            Assert.Equal(0, api["tokensRefused"]!.GetValue<int>());
            Assert.All(api["multiRecipient"]!.AsArray(), m => Assert.Equal("application/vnd.signal-messenger.mrm", m!["contentType"]!.GetValue<string>()));
            var stats = await mock.FrontStatsAsync(ct);
            var routes = stats["routes"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();
            Assert.Contains("uploadForm", routes);
            Assert.Contains("multiRecipient", routes);
            Assert.Empty(stats["grpc"]!.AsArray());
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    private static async Task<List<ReceivedItem>> ReceiveAsync(LinkedAccount account, int count, CancellationToken ct)
    {
        var items = new List<ReceivedItem>();
        while (items.Count < count)
        {
            await using var batch = await account.ReceiveAsync(new ReceiveRequest(TimeSpan.FromSeconds(20), false), ct);
            Assert.NotEmpty(batch.Items);
            items.AddRange(batch.Items);
            await batch.ConfirmAsync(ct);
        }

        return items;
    }
}
