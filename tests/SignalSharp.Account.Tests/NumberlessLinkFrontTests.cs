using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Account.Linking;
using SignalSharp.Account.Storage;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Profiles;
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
            var owner = (await mock.CommandAsync("createAccount", new JsonObject { ["name"] = "nonumber", ["hasE164"] = false, ["withContacts"] = true }, ct))!;
            Assert.Null(owner["number"]);
            Assert.Null(owner["pni"]);
            var profilePath = Path.Combine(config, "front.json");
            mock.WriteFrontProfile(profilePath, ("omnibus", "2"), ("legacy", "1.1"));

            Task<JsonNode?>? phoneSide = null;
            var record = await new DeviceLinker(ServerProfile.Load(profilePath), config) { OneTimePreKeyCount = 10 }.LinkAsync("numberless", uri =>
                phoneSide = mock.CommandAsync("link", new JsonObject { ["provisionUrl"] = uri.OriginalString, ["primary"] = "nonumber" }, ct), ct);
            var linked = (await phoneSide!.WaitAsync(ct))!;

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
}
