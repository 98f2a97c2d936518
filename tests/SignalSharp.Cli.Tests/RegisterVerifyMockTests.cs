using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SignalSharp.Account.Storage;
using SignalSharp.Cli.Accounts;
using SignalSharp.Cli.Tests.Support;
using SignalSharp.Crypto;
using SignalSharp.Interop.Testing;
using SignalSharp.Protocol;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.Sessions;
using SignalSharp.Service.Api;
using SignalSharp.Service.Profiles;
using SignalSharp.Service.Transport;
using SignalSharp.Store;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Cli.Tests;

/// <summary>
/// `register` and `verify` against Signal's mock server: a new primary account whose keys the server serves (node's
/// libsignal starts a session from the served bundle and our stored keys decrypt it), whose daemon sends texts a mock
/// contact decrypts, and whose sends fail clearly on 404 and 428. One mock serves the whole class.
/// </summary>
public sealed class RegisterVerifyMockTests(MockServerFixture mockFixture, NodeOracleFixture oracleFixture)
    : IClassFixture<MockServerFixture>, IClassFixture<NodeOracleFixture>
{
    [Fact]
    public async Task Register_and_verify_create_an_account_whose_served_keys_start_a_session_node_can_use()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        var mock = await mockFixture.GetAsync();
        using var config = new TempConfig(mock);
        var (number, stderr) = await RegisterAsync(config, ct);
        Assert.Contains($"signal-sharp -a {number} daemon", stderr);

        AccountRecord record;
        IdentityKeyPair aciIdentity;
        await using (var db = await AccountDatabase.OpenAsync(AccountDirectory.For(config.Path, number), ct))
        {
            record = (await AccountRecord.LoadAsync(db, ct))!;
            aciIdentity = await db.ProtocolStores(AccountIdentity.Aci).IdentityKeys.GetIdentityKeyPairAsync(ct);
            var pniIdentity = await db.ProtocolStores(AccountIdentity.Pni).IdentityKeys.GetIdentityKeyPairAsync(ct);
            Assert.False(aciIdentity.PublicKey.Serialize().AsSpan().SequenceEqual(pniIdentity.PublicKey.Serialize()));
        }

        Assert.Equal(number, record.Number);
        Assert.Equal(1u, record.DeviceId);
        Assert.NotNull(record.Pni);
        Assert.Equal(32, record.ProfileKey!.Length);

        // The server hands anyone our bundle: our stored identity, and (after the one-time upload) a one-time EC key.
        await using var anonymous = new ChatConnection(ServerProfile.Load(config.ProfilePath));
        await anonymous.StartAsync(ct);
        var served = await new ChatApi(anonymous).GetPreKeysAsync(record.Aci.ToString(), 1, cancellationToken: ct);
        Assert.Equal(aciIdentity.IdentityKey.Serialize(), served.IdentityKey);
        var device = Assert.Single(served.Devices);
        Assert.NotNull(device.PreKey);
        Assert.Equal(1568 + 1, device.PqPreKey.PublicKey.Length);

        // libsignal (node) starts a PQXDH session from that bundle; the keys kept in our database decrypt its message.
        var oracle = await oracleFixture.GetAsync();
        var sessions = new NodeSessions(oracle);
        var party = "reg-" + Guid.NewGuid().ToString("N");
        var nodeAddress = new ProtocolAddress(Guid.NewGuid().ToString(), 1);
        var ourAddress = new ProtocolAddress(record.Aci.ToString(), 1);
        await sessions.NewPartyAsync(party, nodeAddress);
        await sessions.ProcessBundleAsync(party, ourAddress, ToBundle(served, device));
        var text = "hello, new primary 🎉";
        var message = Assert.Single(await sessions.EncryptAsync(party, ourAddress, [Encoding.UTF8.GetBytes(text)]));
        Assert.IsType<PreKeySignalMessage>(message);
        await using (var db = await AccountDatabase.OpenAsync(AccountDirectory.For(config.Path, number), ct))
        {
            var stores = db.ProtocolStores(AccountIdentity.Aci);
            var cipher = new SessionCipher(stores.Sessions, stores.IdentityKeys, stores.PreKeys, stores.SignedPreKeys, stores.KyberPreKeys, ourAddress);
            Assert.Equal(text, Encoding.UTF8.GetString(await cipher.DecryptAsync(nodeAddress, message, ct)));
        }
    }

    [Fact]
    public async Task The_daemon_of_a_registered_account_sends_texts_alice_decrypts_and_reports_404_and_428_clearly()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        var mock = await mockFixture.GetAsync();
        using var config = new TempConfig(mock);
        var (number, _) = await RegisterAsync(config, ct);
        var alice = mock.Contact("alice")["aci"]!.GetValue<string>();

        await using var daemon = await RunningDaemon.StartAsync(["--config", config.Path, "-a", number], cancellationToken: ct);
        var sent = await daemon.SendTextAsync(alice, "from a registered primary ✓", ct);
        Assert.True(sent["statusCode"]!.GetValue<int>() == 0, sent.ToJsonString());
        var atAlice = (await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice", ["timeoutMs"] = 20_000 }, ct))!;
        Assert.Equal("from a registered primary ✓", atAlice["body"]!.GetValue<string>());
        Assert.Equal(sent["timestamp"]!.ToString(), atAlice["timestamp"]!.ToString());
        var aci = await StoredAciAsync(config, number, ct);
        Assert.Equal(aci, atAlice["source"]!["aci"]!.GetValue<string>());

        // 404: an ACI nobody registered.
        var unknown = Guid.NewGuid().ToString();
        var notFound = await daemon.SendTextAsync(unknown, "anyone there?", ct);
        Assert.Equal(2, notFound["statusCode"]!.GetValue<int>());
        Assert.Contains(unknown, notFound["errorMessage"]!.GetValue<string>());

        // 428: the server rate-limits us towards Alice until told otherwise.
        await mock.CommandAsync("rateLimit", new JsonObject { ["source"] = aci, ["target"] = "alice" }, ct);
        var limited = await daemon.SendTextAsync(alice, "too many", ct);
        Assert.Equal(-1, limited["statusCode"]!.GetValue<int>());
        var why = limited["errorMessage"]!.GetValue<string>();
        Assert.Contains("428", why);
        Assert.Contains("rate-limiting", why);
        Assert.Contains("captcha", why);
        await mock.CommandAsync("stopRateLimiting", new JsonObject { ["source"] = aci, ["target"] = "alice" }, ct);
        var again = await daemon.SendTextAsync(alice, "after the limit", ct);
        Assert.True(again["statusCode"]!.GetValue<int>() == 0, again.ToJsonString());
        atAlice = (await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice", ["timeoutMs"] = 20_000 }, ct))!;
        Assert.Equal("after the limit", atAlice["body"]!.GetValue<string>());

        Assert.Equal(0, await daemon.StopAsync());
    }

    [Fact]
    public async Task Daemon_server_option_overrides_the_stored_profile_for_one_run()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        var mock = await mockFixture.GetAsync();
        using var config = new TempConfig(mock);
        var (number, _) = await RegisterAsync(config, ct);

        // Point the stored profile at a port where nothing listens: the daemon alone cannot reach the server now.
        var dead = ServerProfile.Load(config.ProfilePath) with { ChatUrl = new Uri($"https://127.0.0.1:{RunningDaemon.FreePort()}/") };
        await using (var db = await AccountDatabase.OpenAsync(AccountDirectory.For(config.Path, number), ct))
        {
            var record = (await AccountRecord.LoadAsync(db, ct))!;
            await (record with { ServerProfileJson = dead.ToJson() }).SaveAsync(db, ct);
        }

        // A one-shot command that runs directly says at once that the server cannot be reached.
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(["--config", config.Path, "-a", number, "send", "-m", "unreachable", mock.Contact("alice")["aci"]!.GetValue<string>()],
            new StringWriter(), stderr, new CliServices(new StoredAccountOpener(), ct)).WaitAsync(ct);
        Assert.Equal(1, code);
        Assert.Contains("connecting to its server failed", stderr.ToString());

        // The daemon instead keeps trying (it must come up when the network does): it serves, and a command that
        // needs the server is answered with why it cannot go out, after the connect wait rather than never.
        var patient = new StoredAccountOpener(options: new SignalSharp.Account.LinkedAccountOptions { ConnectWait = TimeSpan.FromSeconds(2) });
        await using (var waiting = await RunningDaemon.StartAsync(["--config", config.Path, "-a", number], opener: patient, cancellationToken: ct))
        {
            var refused = await waiting.SendTextAsync(mock.Contact("alice")["aci"]!.GetValue<string>(), "while the server is away", ct);
            Assert.Equal(-1, refused["statusCode"]!.GetValue<int>());
            Assert.Contains("not connected", refused["errorMessage"]!.GetValue<string>());
            Assert.Equal(0, await waiting.StopAsync());
        }

        // A bad --server file is a usage error, named as such.
        var missing = Path.Combine(config.Path, "no-such-profile.json");
        stderr = new StringWriter();
        code = await CliApp.RunAsync(["--config", config.Path, "-a", number, "daemon", "--server", missing], new StringWriter(), stderr).WaitAsync(ct);
        Assert.Equal(2, code);
        Assert.Contains($"--server {missing}", stderr.ToString());

        var alice = mock.Contact("alice")["aci"]!.GetValue<string>();
        await using (var daemon = await RunningDaemon.StartAsync(["--config", config.Path, "-a", number], ["--server", config.ProfilePath], cancellationToken: ct))
        {
            var sent = await daemon.SendTextAsync(alice, "through the --server profile", ct);
            Assert.True(sent["statusCode"]!.GetValue<int>() == 0, sent.ToJsonString());
            var atAlice = (await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice", ["timeoutMs"] = 20_000 }, ct))!;
            Assert.Equal("through the --server profile", atAlice["body"]!.GetValue<string>());
            Assert.Equal(0, await daemon.StopAsync());
        }

        // The override lasted one run: the stored profile is still the dead one.
        await using (var db = await AccountDatabase.OpenAsync(AccountDirectory.For(config.Path, number), ct))
        {
            Assert.Equal(dead.ToJson(), (await AccountRecord.LoadAsync(db, ct))!.ServerProfileJson);
        }
    }

    [Fact]
    public async Task Captcha_wrong_code_and_repeated_registration_fail_with_clear_messages()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        var mock = await mockFixture.GetAsync();
        using var config = new TempConfig(mock);
        var number = NewNumber();

        // The mock, like Signal, wants a captcha first; without one nothing is left behind.
        var run = await RunAsync(ct, "--config", config.Path, "-a", number, "register", "--server", config.ProfilePath);
        Assert.Equal(1, run.Code);
        Assert.Contains("captcha", run.Stderr);
        Assert.Contains("--captcha", run.Stderr);
        Assert.False(Directory.Exists(AccountDirectory.For(config.Path, number)));

        run = await RunAsync(ct, "--config", config.Path, "-a", number, "register", "--server", config.ProfilePath, "--captcha", "signalcaptcha://signal-hcaptcha.test");
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Contains($"signal-sharp -a {number} verify CODE", run.Stderr);

        run = await RunAsync(ct, "--config", config.Path, "-a", number, "verify", "000000");
        Assert.Equal(1, run.Code);
        Assert.Contains("verification code", run.Stderr);
        Assert.Contains("wrong", run.Stderr);

        // The session survives a wrong code; the right one then registers.
        run = await RunAsync(ct, "--config", config.Path, "-a", number, "verify", VerificationCode(mock));
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Equal(number, run.Stdout.Trim());

        run = await RunAsync(ct, "--config", config.Path, "-a", number, "verify", VerificationCode(mock));
        Assert.Equal(1, run.Code);
        Assert.Contains("already has an account", run.Stderr);
        run = await RunAsync(ct, "--config", config.Path, "-a", number, "register", "--captcha", "x", "--server", config.ProfilePath);
        Assert.Equal(1, run.Code);
        Assert.Contains("already has an account", run.Stderr);
    }

    [Fact]
    public async Task Verify_server_option_replaces_the_server_register_used()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        var mock = await mockFixture.GetAsync();
        using var config = new TempConfig(mock);
        var number = NewNumber();
        var run = await RunAsync(ct, "--config", config.Path, "-a", number, "register", "--server", config.ProfilePath, "--captcha", "x");
        Assert.True(run.Code == 0, run.Stderr);

        // The pending registration remembers its server; point it at a port where nothing listens.
        var good = ServerProfile.Load(config.ProfilePath);
        var dead = good with { ChatUrl = new Uri($"https://127.0.0.1:{RunningDaemon.FreePort()}/") };
        await using (var db = await AccountDatabase.OpenAsync(AccountDirectory.For(config.Path, number), ct))
        {
            Assert.Equal(good.ToJson(), await db.Settings.GetStringAsync("registration.server_profile", ct));
            await db.Settings.SetStringAsync("registration.server_profile", dead.ToJson(), ct);
        }

        run = await RunAsync(ct, "--config", config.Path, "-a", number, "verify", VerificationCode(mock));
        Assert.Equal(1, run.Code);
        Assert.Contains("registration failed", run.Stderr);

        run = await RunAsync(ct, "--config", config.Path, "-a", number, "verify", VerificationCode(mock), "--server", config.ProfilePath);
        Assert.True(run.Code == 0, run.Stderr);
        await using (var db = await AccountDatabase.OpenAsync(AccountDirectory.For(config.Path, number), ct))
        {
            // The account keeps the server it was registered on, and the pending session is gone.
            Assert.Equal(good.ToJson(), (await AccountRecord.LoadAsync(db, ct))!.ServerProfileJson);
            Assert.Null(await db.Settings.GetStringAsync("registration.server_profile", ct));
        }
    }

    [Fact]
    public async Task A_registration_lock_is_reported_as_such()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        var mock = await mockFixture.GetAsync();
        using var config = new TempConfig(mock);
        var number = NewNumber();
        var run = await RunAsync(ct, "--config", config.Path, "-a", number, "register", "--server", config.ProfilePath, "--captcha", "x");
        Assert.True(run.Code == 0, run.Stderr);

        // Signal's server answers 423 (with SVR credentials) when the number has a registration lock.
        await mock.CommandAsync("setRegisterResponseError", new JsonObject { ["code"] = 423, ["data"] = new JsonObject { ["timeRemaining"] = 604_800_000 } }, ct);
        try
        {
            run = await RunAsync(ct, "--config", config.Path, "-a", number, "verify", VerificationCode(mock));
            Assert.Equal(1, run.Code);
            Assert.Contains("registration lock", run.Stderr);
            Assert.Contains("--pin", run.Stderr);
            run = await RunAsync(ct, "--config", config.Path, "-a", number, "verify", VerificationCode(mock), "--pin", "1234");
            Assert.Equal(1, run.Code);
            Assert.Contains("registration lock", run.Stderr);
            Assert.Contains("not supported yet", run.Stderr);
        }
        finally
        {
            await mock.CommandAsync("setRegisterResponseError", new JsonObject { ["code"] = null }, CancellationToken.None);
        }

        // Nothing was saved as an account: the daemon still does not know the number.
        run = await RunAsync(ct, "--config", config.Path, "-a", number, "daemon");
        Assert.Equal(1, run.Code);
        Assert.Contains("not found", run.Stderr);

        // Once the lock is gone, verify again on the same (already verified) session.
        run = await RunAsync(ct, "--config", config.Path, "-a", number, "verify", VerificationCode(mock));
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Equal(number, run.Stdout.Trim());
    }

    private static async Task<(string Number, string VerifyStderr)> RegisterAsync(TempConfig config, CancellationToken ct)
    {
        var number = NewNumber();
        var run = await RunAsync(ct, "--config", config.Path, "-a", number, "register", "--captcha", "signal-hcaptcha.test", "--server", config.ProfilePath);
        Assert.True(run.Code == 0, run.Stderr);
        run = await RunAsync(ct, "--config", config.Path, "-a", number, "verify", VerificationCode(config.Mock));
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Equal(number, run.Stdout.Trim());
        return (number, run.Stderr);
    }

    private static async Task<string> StoredAciAsync(TempConfig config, string number, CancellationToken ct)
    {
        // The daemon holds the database open; SQLite in WAL mode lets a second reader in.
        await using var db = await AccountDatabase.OpenAsync(AccountDirectory.For(config.Path, number), ct);
        return (await AccountRecord.LoadAsync(db, ct))!.Aci.ToString();
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(CancellationToken ct, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr).WaitAsync(ct);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string VerificationCode(MockServer mock) => mock.Ready["verificationCode"]!.GetValue<string>();

    private static string NewNumber() => "+1555" + Random.Shared.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);

    private static PreKeyBundle ToBundle(PreKeyBundles bundles, DevicePreKeys device) => new(
        device.RegistrationId,
        device.DeviceId,
        device.PreKey?.KeyId,
        device.PreKey is { } preKey ? ECPublicKey.Deserialize(preKey.PublicKey) : null,
        device.SignedPreKey.KeyId,
        ECPublicKey.Deserialize(device.SignedPreKey.PublicKey),
        device.SignedPreKey.Signature,
        IdentityKey.Deserialize(bundles.IdentityKey),
        device.PqPreKey.KeyId,
        KemPublicKey.Deserialize(device.PqPreKey.PublicKey),
        device.PqPreKey.Signature);

    /// <summary>A data directory with the mock's server profile in it, removed afterwards.</summary>
    private sealed class TempConfig : IDisposable
    {
        public TempConfig(MockServer mock)
        {
            Mock = mock;
            Path = Directory.CreateTempSubdirectory("signalsharp-register-").FullName;
            ProfilePath = System.IO.Path.Combine(Path, "mock.json");
            mock.WriteServerProfile(ProfilePath);
        }

        public MockServer Mock { get; }

        public string Path { get; }

        public string ProfilePath { get; }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
