using System.Text.Json.Nodes;
using SignalSharp.Account;
using SignalSharp.Account.Api;
using SignalSharp.Account.Linking;
using SignalSharp.Account.Storage;
using SignalSharp.Cli.Accounts;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Cli.Tests;

/// <summary>
/// `listIdentities` and `trust` on a stored account linked to Signal's mock server, after a contact reinstalled with
/// a new identity key: the list shows the contact UNTRUSTED with the new safety number, a wrong safety number trusts
/// nothing, the right one makes it TRUSTED_VERIFIED, and a malformed command line is a usage error.
/// </summary>
public sealed class IdentityCommandsMockTests
{
    [Fact]
    public async Task List_and_trust_a_contact_whose_safety_number_changed()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync(contacts: "Alice", ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-cli-identity-").FullName;
        try
        {
            var profilePath = Path.Combine(config, "mock.json");
            mock.WriteServerProfile(profilePath);
            Task<JsonNode?>? phoneSide = null;
            var record = await new DeviceLinker(ServerProfile.Load(profilePath), config) { OneTimePreKeyCount = 10 }
                .LinkAsync("cli identity test", uri => phoneSide = mock.CommandAsync("link", new JsonObject { ["provisionUrl"] = uri.OriginalString }, ct), ct);
            await phoneSide!.WaitAsync(ct);
            var number = record.Number!;
            var aliceNumber = mock.Contact("alice")["number"]!.GetValue<string>();

            // Alice writes, reinstalls, writes again: the account stores her first key, then sees the new one.
            await using (var account = (await LinkedAccount.OpenAsync(AccountDirectory.For(config, number), cancellationToken: ct))!)
            {
                await account.StartAsync(ct);
                await mock.CommandAsync("sendText", new JsonObject { ["from"] = "alice", ["text"] = "before" }, ct);
                await ReceiveAsync(account, 1, ct);
                await mock.CommandAsync("reinstallWithNewIdentity", new JsonObject { ["name"] = "alice" }, ct);
                await mock.CommandAsync("sendText", new JsonObject { ["from"] = "alice", ["text"] = "after" }, ct);
                await ReceiveAsync(account, 2, ct);
            }

            var listed = await RunAsync("--config", config, "-a", number, "listIdentities");
            Assert.Equal(0, listed.Code);
            var line = Assert.Single(listed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith(aliceNumber + ":", StringComparison.Ordinal));
            Assert.Contains(": UNTRUSTED ", line);
            var safetyNumber = line[(line.IndexOf("Safety number: ", StringComparison.Ordinal) + "Safety number: ".Length)..].Trim();
            Assert.Equal(60, safetyNumber.Count(char.IsAsciiDigit));

            var wrong = string.Concat(Enumerable.Repeat("12345", 12));
            var refused = await RunAsync("--config", config, "-a", number, "trust", aliceNumber, "--verified-safety-number", wrong);
            Assert.NotEqual(0, refused.Code);
            Assert.Contains(aliceNumber, refused.Stderr);
            Assert.Contains(": UNTRUSTED ", (await RunAsync("--config", config, "-a", number, "listIdentities", "-n", aliceNumber)).Stdout);

            Assert.Equal(ExitCodes.Usage, (await RunAsync("--config", config, "-a", number, "trust", aliceNumber)).Code);
            Assert.Equal(ExitCodes.Usage, (await RunAsync("--config", config, "-a", number, "trust", aliceNumber, "--trust-all-known-keys",
                "--verified-safety-number", safetyNumber)).Code);

            var trusted = await RunAsync("--config", config, "-a", number, "trust", aliceNumber, "--verified-safety-number", safetyNumber);
            Assert.True(trusted.Code == 0, trusted.Stderr);
            Assert.Contains("TRUSTED_VERIFIED", trusted.Stdout);
            var after = (await RunAsync("--config", config, "-a", number, "listIdentities", "-n", aliceNumber)).Stdout;
            Assert.Contains(": TRUSTED_VERIFIED ", after);
            Assert.Contains(safetyNumber, after);
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    private static async Task ReceiveAsync(LinkedAccount account, int count, CancellationToken ct)
    {
        var seen = 0;
        while (seen < count)
        {
            await using var batch = await account.ReceiveAsync(new ReceiveRequest(TimeSpan.FromSeconds(20), true), ct);
            Assert.NotEmpty(batch.Items);
            seen += batch.Items.Count;
            await batch.ConfirmAsync(ct);
        }
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
