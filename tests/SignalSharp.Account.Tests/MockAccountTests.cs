using System.Text.Json.Nodes;
using SignalSharp.Account.Linking;
using SignalSharp.Account.Storage;
using SignalSharp.Account.Api;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Account.Tests;

/// <summary>
/// The account layer against Signal's real mock server: link as a secondary device of the mock phone, receive
/// texts from a mock contact (PreKey first, then ratchet; sealed and unsealed; emoji) through the inbox, and send
/// texts that the contact's libsignal decrypts.
/// </summary>
public sealed class MockAccountTests
{
    [Fact]
    public async Task Links_receives_each_text_once_and_sends_texts_the_contact_decrypts()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync(contacts: "Alice", ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-account-").FullName;
        try
        {
            var profilePath = Path.Combine(config, "mock.json");
            mock.WriteServerProfile(profilePath);
            var profile = ServerProfile.Load(profilePath);

            // The phone "scans" the URI as soon as the linker shows it.
            Task<JsonNode?>? phoneSide = null;
            var linker = new DeviceLinker(profile, config) { OneTimePreKeyCount = 10 };
            var record = await linker.LinkAsync("SignalSharp test", uri =>
                phoneSide = mock.CommandAsync("link", new JsonObject { ["provisionUrl"] = uri.OriginalString }, ct), ct);
            Assert.NotNull(phoneSide);
            var device = (await phoneSide!.WaitAsync(ct))!;
            Assert.Equal(mock.Phone["number"]!.GetValue<string>(), record.Number);
            Assert.Equal(Guid.Parse(mock.Phone["aci"]!.GetValue<string>()), record.Aci);
            Assert.Equal(record.DeviceId, device["deviceId"]!.GetValue<uint>());

            var alice = mock.Contact("alice");
            var aliceAci = alice["aci"]!.GetValue<string>();
            var aliceNumber = alice["number"]!.GetValue<string>();
            await using var account = (await LinkedAccount.OpenAsync(AccountDirectory.For(config, record.Name), cancellationToken: ct))!;
            Assert.NotNull(account);
            await account.StartAsync(ct);
            // The pre-key check runs after the start admitted sends, beside them.
            await account.StartChecks;

            // Linking uploaded 10 one-time keys per identity; the phone and Alice took one ACI key each (8 left,
            // below the threshold): the start refilled it (the phone may already have taken one of the new batch).
            var aciCounts = await account.PreKeys.GetCountsAsync(false, ct);
            Assert.InRange(aciCounts.Count, Account.PreKeys.PreKeyMaintenance.RefillBatch - 2, Account.PreKeys.PreKeyMaintenance.RefillBatch);
            Assert.InRange(aciCounts.PqCount, Account.PreKeys.PreKeyMaintenance.RefillBatch - 2, Account.PreKeys.PreKeyMaintenance.RefillBatch);
            // The PNI's keys were not used (10, not below the threshold): left alone.
            Assert.Equal(new Service.Api.PreKeyCounts(10, 10), await account.PreKeys.GetCountsAsync(true, ct));

            // The contact sync the device asked for on its first start names Alice by number and ACI.
            Store.Contacts.Contact? synced = null;
            while (synced is null)
            {
                await Task.Delay(100, ct);
                synced = await account.Database.Contacts.GetByE164Async(aliceNumber, ct);
            }

            Assert.Equal(Guid.Parse(aliceAci), synced.Recipient.Aci);

            // 20 texts: PreKey first (unsealed), then ratchet messages, alternating sealed and unsealed, some with emoji.
            var texts = Enumerable.Range(1, 20).Select(i => i % 4 == 0 ? $"text {i} 😀🎉 ünïcödé" : $"text {i}").ToArray();
            var sent = new List<long>();
            for (var i = 0; i < texts.Length; i++)
            {
                var reply = (await mock.CommandAsync("sendText", new JsonObject
                {
                    ["from"] = "alice", ["text"] = texts[i], ["sealed"] = i % 2 == 1,
                    ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + i,
                }, ct))!;
                sent.Add(reply["timestamp"]!.GetValue<long>());
            }

            // A first batch is leased and never confirmed (its client vanished, then the process died): the next
            // opening of the account puts it back, so nothing is lost.
            var abandoned = await account.ReceiveAsync(new ReceiveRequest(TimeSpan.FromSeconds(10), true), ct);
            Assert.NotEmpty(abandoned.Items);
            await using (var reopened = (await LinkedAccount.OpenAsync(AccountDirectory.For(config, record.Name), cancellationToken: ct))!)
            {
                await using var again = await reopened.ReceiveAsync(new ReceiveRequest(TimeSpan.FromSeconds(10), true), ct);
                static (long, string?) Key(ReceivedItem item) => item is ReceivedMessage m ? (m.Timestamp, m.Body) : (0, null);
                Assert.Equal(abandoned.Items.Select(Key), again.Items.Take(abandoned.Items.Count).Select(Key));
            }

            var received = new List<ReceivedMessage>();
            while (received.Count < texts.Length)
            {
                await using var batch = await account.ReceiveAsync(new ReceiveRequest(TimeSpan.FromSeconds(10), true), ct);
                Assert.NotEmpty(batch.Items);
                received.AddRange(batch.Items.Select(item => Assert.IsType<ReceivedMessage>(item)));
                await batch.ConfirmAsync(ct);
            }

            // The abandoned lease was put back and taken again since: its late release must not revive anything.
            await abandoned.DisposeAsync();

            Assert.Equal(texts, received.Select(m => m.Body));
            Assert.Equal(sent, received.Select(m => m.Timestamp));
            Assert.All(received, m => Assert.Equal(aliceAci, m.SenderServiceId?.ToString()));
            Assert.All(received, m => Assert.Equal(aliceNumber, m.Sender));
            Assert.Empty((await account.ReceiveAsync(new ReceiveRequest(TimeSpan.FromMilliseconds(200), true), ct)).Items);

            // Send by ACI and by number; the mock's libsignal at Alice must decrypt the exact text.
            var byAci = await account.SendMessageAsync(new RecipientTarget(RecipientAddress.Aci(Aci.Parse(aliceAci))), new OutgoingMessage("to alice by aci ✓", []), ct);
            var atAlice = (await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice" }, ct))!;
            Assert.Equal("to alice by aci ✓", atAlice["body"]!.GetValue<string>());
            Assert.Equal(byAci.Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), atAlice["timestamp"]!.ToString());
            Assert.Equal(record.Aci.ToString(), atAlice["source"]!["aci"]!.GetValue<string>());
            // Alice's messages carried her profile key, so this went sealed (a wrong access key would have been a 401).
            Assert.Equal(1, account.SealedSends);

            await account.SendMessageAsync(new RecipientTarget(RecipientAddress.PhoneNumber(aliceNumber)), new OutgoingMessage("by number", []), ct);
            atAlice = (await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice" }, ct))!;
            Assert.Equal("by number", atAlice["body"]!.GetValue<string>());

            // Alice gains a second device: the server answers 409 (missing device), the sender fetches its bundle
            // and retries, and both of her devices get the message.
            var second = (await mock.CommandAsync("createSecondary", new JsonObject { ["of"] = "alice" }, ct))!;
            await account.SendMessageAsync(new RecipientTarget(RecipientAddress.Aci(Aci.Parse(aliceAci))), new OutgoingMessage("to both devices", []), ct);
            atAlice = (await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice" }, ct))!;
            Assert.Equal("to both devices", atAlice["body"]!.GetValue<string>());
            // The mock does not deliver to devices made by createSecondaryDevice (not "provisioned"), so the proof that
            // the new device was included is our session with it: built from its bundle after the server's 409.
            var devices = await account.Database.ProtocolStores(Store.Protocol.AccountIdentity.Aci).Sessions.GetDeviceIdsAsync(aliceAci, ct);
            Assert.Contains(second["deviceId"]!.GetValue<uint>(), devices);
            Assert.Contains(1u, devices);

            // Our session with Alice is lost (as after a restore): her next message fails, becomes an error item, and a
            // resend request goes back to her device, which the mock's libsignal accepts (else the PUT would be a 500).
            await account.Database.ProtocolStores(Store.Protocol.AccountIdentity.Aci).Sessions.DeleteAllSessionsAsync(aliceAci, ct);
            await mock.CommandAsync("sendText", new JsonObject { ["from"] = "alice", ["text"] = "lost", ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, ct);
            await using var failed = await account.ReceiveAsync(new ReceiveRequest(TimeSpan.FromSeconds(10), true), ct);
            var failure = Assert.IsType<ReceiveFailure>(Assert.Single(failed.Items));
            await failed.ConfirmAsync(ct);
            Assert.Equal(ReceiveFailureKind.MessageError, failure.Kind);
            for (var i = 0; i < 100 && account.RetryRequestsSent == 0; i++)
            {
                await Task.Delay(50, ct);
            }

            Assert.Equal(1, account.RetryRequestsSent);

            await Assert.ThrowsAsync<UnknownRecipientException>(() =>
                account.SendMessageAsync(new RecipientTarget(RecipientAddress.PhoneNumber("+15550009999")), new OutgoingMessage("nobody", []), ct));
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }
}
