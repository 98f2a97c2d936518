using System.Text.Json.Nodes;
using SignalSharp.Account;
using SignalSharp.Account.Linking;
using SignalSharp.Cli.Accounts;
using SignalSharp.Cli.Tests.Support;
using SignalSharp.Account.Api;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Cli.Tests;

/// <summary>
/// The phone learns what the linked device sent: after the daemon's `send_message` to Alice (by number, then by ACI),
/// the mock phone decrypts a SyncMessage.Sent with the exact text, destination and timestamp.
/// </summary>
public sealed class SentTranscriptMockTests
{
    [Fact]
    public async Task After_send_message_the_phone_receives_the_sent_transcript()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync(contacts: "Alice", ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-transcript-").FullName;
        try
        {
            var profilePath = Path.Combine(config, "mock.json");
            mock.WriteServerProfile(profilePath);
            Task<JsonNode?>? phoneSide = null;
            var record = await new DeviceLinker(ServerProfile.Load(profilePath), config) { OneTimePreKeyCount = 10 }.LinkAsync("transcript test", uri =>
                phoneSide = mock.CommandAsync("link", new JsonObject { ["provisionUrl"] = uri.OriginalString }, ct), ct);
            await phoneSide!.WaitAsync(ct);

            var alice = mock.Contact("alice");
            var aliceAci = alice["aci"]!.GetValue<string>();
            var aliceNumber = alice["number"]!.GetValue<string>();
            var opener = new CapturingOpener();
            await using var daemon = await RunningDaemon.StartAsync(["--config", config, "-a", record.Name], opener: opener, cancellationToken: ct);

            // Alice's number resolves once the phone's contact sync (asked for on the first start) has arrived.
            while (await opener.Account!.Database.Contacts.GetByE164Async(aliceNumber, ct) is null)
            {
                await Task.Delay(50, ct);
            }

            foreach (var (recipient, text) in new[] { (aliceNumber, "transcript by number ✉️"), (aliceAci, "transcript by ACI") })
            {
                var sent = await daemon.SendTextAsync(recipient, text, ct);
                Assert.True(sent["statusCode"]!.GetValue<int>() == 0, sent.ToJsonString());
                var timestamp = sent["timestamp"]!.GetValue<long>();
                var atAlice = (await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice", ["timeoutMs"] = 20_000 }, ct))!;
                Assert.Equal(text, atAlice["body"]!.GetValue<string>());

                var sync = await mock.WaitForSyncMessageAsync("phone", "sent", 20_000, ct);
                Assert.Equal(record.Aci.ToString(), sync.SourceAci);
                Assert.Equal(record.DeviceId, sync.SourceDeviceId);
                var transcript = Assert.IsType<MockSyncSent>(sync.Sent);
                Assert.Equal(text, transcript.Body);
                Assert.Equal(timestamp, transcript.Timestamp);
                Assert.Equal(timestamp, transcript.MessageTimestamp);
                Assert.Equal(aliceAci, transcript.DestinationServiceId);
                Assert.Equal(aliceAci, transcript.DestinationServiceIdBinary);
                Assert.Equal(recipient == aliceNumber ? aliceNumber : null, transcript.DestinationE164);
            }

            Assert.Equal(0, await daemon.StopAsync());
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    /// <summary>The real stored-account opener, keeping the account so the test can watch its database.</summary>
    private sealed class CapturingOpener : IAccountOpener
    {
        private readonly StoredAccountOpener inner = new();

        public LinkedAccount? Account { get; private set; }

        public async Task<ISignalAccount?> OpenAsync(string phoneNumber, string configDirectory, CancellationToken cancellationToken)
        {
            var account = await inner.OpenAsync(phoneNumber, configDirectory, cancellationToken);
            Account = (LinkedAccount?)account;
            return account;
        }
    }
}
