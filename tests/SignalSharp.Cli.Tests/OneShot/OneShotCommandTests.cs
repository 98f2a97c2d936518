using SignalSharp.Account.Api;
using SignalSharp.Cli.Accounts;
using SignalSharp.Cli.OneShot;
using SignalSharp.Cli.Tests.Support;

namespace SignalSharp.Cli.Tests.OneShot;

/// <summary>
/// One-shot commands find a running daemon by its control socket (0600 in a 0700 folder) and send their request
/// through it, never opening the account a second time; with no daemon they open the account themselves.
/// </summary>
public sealed class OneShotCommandTests
{
    private const string Number = "+4366412345678";

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Send_goes_through_the_running_daemon_and_runs_directly_without_one()
    {
        using var config = new TempConfig();
        using var stop = new CancellationTokenSource();
        var daemonErr = new StringWriter();
        var (daemon, control) = await StartDaemonAsync(config.Path, new OneAccount(), daemonErr, stop.Token);

        // While the daemon runs, the one-shot command must not open the account.
        var viaDaemon = await RunAsync(config.Path, new RefusingOpener(), "send", "-m", "hi", "+4366400000001");
        Assert.Equal((0, "42\n"), (viaDaemon.Code, viaDaemon.Stdout));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(control));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(control)!));

        var groups = await RunAsync(config.Path, new RefusingOpener(), "-o", "json", "listGroups");
        Assert.Equal((0, "[]\n"), (groups.Code, groups.Stdout));

        // -o json prints the result object as signal-cli does.
        var json = await RunAsync(config.Path, new RefusingOpener(), "-o", "json", "send", "-m", "hi", "+4366400000001");
        Assert.Equal(0, json.Code);
        Assert.Equal("""{"timestamp":42,"results":[{"recipientAddress":{"uuid":null,"number":"+4366400000001"},"type":"SUCCESS"}]}""" + "\n", json.Stdout);

        // The identity commands go through the daemon too (they used to open the account, which the daemon holds).
        var identities = await RunAsync(config.Path, new RefusingOpener(), "-o", "json", "listIdentities");
        Assert.Equal((0, "[]\n"), (identities.Code, identities.Stdout));
        var trust = await RunAsync(config.Path, new RefusingOpener(), "trust", "+4366400000001", "--trust-all-known-keys");
        Assert.Equal(ExitCodes.CommandFailed, trust.Code);
        Assert.Contains("trust +4366400000001: Failed to set the trust for this number", trust.Stderr, StringComparison.Ordinal);

        // A second daemon for the same account is refused instead of taking the socket over.
        var second = await CliApp.RunAsync(["--config", config.Path, "-a", Number, "daemon", "--http", "127.0.0.1:0"], new StringWriter(), new StringWriter(),
            new CliServices(new OneAccount(), CancellationToken.None));
        Assert.Equal(ExitCodes.CannotListen, second);
        Assert.True(File.Exists(control));

        stop.Cancel();
        Assert.True(0 == await daemon.WaitAsync(TimeSpan.FromSeconds(30)), daemonErr.ToString());
        Assert.False(File.Exists(control), "the control socket is removed with the daemon");

        var opener = new CountingOpener();
        var direct = await RunAsync(config.Path, opener, "send", "-m", "hi", "+4366400000001");
        Assert.Equal((0, "42\n"), (direct.Code, direct.Stdout));
        Assert.Equal(1, opener.Opened);
    }

    // Logging in a second time would make production close the daemon's socket (4409): the daemon answers the challenge.
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Submit_rate_limit_challenge_goes_through_the_running_daemon()
    {
        using var config = new TempConfig();
        using var stop = new CancellationTokenSource();
        var daemonErr = new StringWriter();
        var served = new OneAccount();
        var (daemon, _) = await StartDaemonAsync(config.Path, served, daemonErr, stop.Token);

        var run = await RunAsync(config.Path, new RefusingOpener(), "submit-rate-limit-challenge", "token-1", "signalcaptcha://captcha-1");

        Assert.True(0 == run.Code, run.Stderr);
        Assert.Contains("Challenge accepted", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(["token-1 signalcaptcha://captcha-1"], served.Challenges);
        stop.Cancel();
        Assert.True(0 == await daemon.WaitAsync(TimeSpan.FromSeconds(30)), daemonErr.ToString());

        // Without the daemon the command logs in on its own, which needs the account stored here (it is not).
        var direct = await RunAsync(config.Path, new RefusingOpener(), "submit-rate-limit-challenge", "token-2", "captcha-2");
        Assert.NotEqual(0, direct.Code);
        Assert.Equal(["token-1 signalcaptcha://captcha-1"], served.Challenges);
    }

    [Fact]
    public async Task A_refused_request_prints_signal_clis_message_and_fails()
    {
        using var config = new TempConfig();
        var run = await RunAsync(config.Path, new CountingOpener(), "send", "+4366400000001");
        Assert.Equal(ExitCodes.CommandFailed, run.Code);
        Assert.Contains("No message given", run.Stderr, StringComparison.Ordinal);
    }

    // A daemon serving OneAccount, once its control socket is there.
    private static async Task<(Task<int> Daemon, string ControlSocket)> StartDaemonAsync(string config, OneAccount account, StringWriter daemonErr, CancellationToken stop)
    {
        var daemon = CliApp.RunAsync(["--config", config, "-a", Number, "daemon", "--socket", Path.Combine(config, "rpc.socket")], new StringWriter(), daemonErr,
            new CliServices(account, stop));
        var control = ControlSocket.PathFor(config, Number);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(control))
        {
            Assert.False(daemon.IsCompleted, "daemon exited: " + daemonErr);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "no control socket: " + daemonErr);
            await Task.Delay(20);
        }

        return (daemon, control);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string config, IAccountOpener opener, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(["--config", config, "-a", Number, .. args], stdout, stderr, new CliServices(opener, CancellationToken.None));
        return (code, stdout.ToString().Replace("\r\n", "\n", StringComparison.Ordinal), stderr.ToString());
    }

    private sealed class RefusingOpener : IAccountOpener
    {
        public Task<ISignalAccount?> OpenAsync(string phoneNumber, string configDirectory, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the account was opened although a daemon serves it");
    }

    private sealed class CountingOpener : IAccountOpener
    {
        public int Opened;

        public Task<ISignalAccount?> OpenAsync(string phoneNumber, string configDirectory, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Opened);
            return Task.FromResult<ISignalAccount?>(new OneAccount());
        }
    }
}
