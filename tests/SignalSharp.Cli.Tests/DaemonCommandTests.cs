using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SignalSharp.Cli.Accounts;
using SignalSharp.Account.Api;
using SignalSharp.Cli.Tests.Support;

namespace SignalSharp.Cli.Tests;

public sealed class DaemonCommandTests
{
    [Fact]
    public async Task Unknown_account_exits_non_zero_naming_the_account_the_directory_and_link()
    {
        var (code, _, stderr) = await RunAsync("--config", "/tmp/signal-sharp-test-config", "-a", "+4366412345678", "daemon");
        Assert.Equal(ExitCodes.AccountProblem, code);
        Assert.Contains("+4366412345678", stderr);
        Assert.Contains("/tmp/signal-sharp-test-config", stderr);
        Assert.Contains("signal-sharp link", stderr);
    }

    [Fact]
    public async Task The_seed_command_without_an_account_exits_non_zero_naming_the_directory_and_link()
    {
        // `daemon` without one starts empty in multi-account mode (JsonRpcProvisioningMockTests); the seed's `socket` needs one.
        var (code, _, stderr) = await RunAsync("--config", "/tmp/cfg-x", "socket");
        Assert.Equal(ExitCodes.AccountProblem, code);
        Assert.Contains("/tmp/cfg-x", stderr);
        Assert.Contains("signal-sharp link", stderr);
    }

    [Theory]
    [InlineData("-u", "+4366412345678", "socket")]
    [InlineData("--username", "+4366412345678", "socket")]
    [InlineData("socket", "--account", "+4366412345678")]
    public async Task Signal_cli_spellings_parse(params string[] args)
    {
        var (code, _, stderr) = await RunAsync(args);
        Assert.Equal(ExitCodes.AccountProblem, code);
        Assert.Contains("+4366412345678", stderr);
    }

    [Fact]
    public async Task Bad_options_are_usage_errors()
    {
        Assert.Equal(ExitCodes.Usage, (await RunAsync("-a", "+4366412345678", "daemon", "--tcp", "1.2.3.4:99999")).Code);
        Assert.Equal(ExitCodes.Usage, (await RunAsync("-a", "+4366412345678", "daemon", "--max-command-size", "huge")).Code);
        Assert.Equal(ExitCodes.Usage, (await RunAsync("daemon", "--no-such-option")).Code);
        var (code, _, stderr) = await RunAsync("-a", "+4366412345678", "daemon", "--keep-delivered", "a while");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--keep-delivered a while: not a duration", stderr);
    }

    [Fact]
    public async Task An_unreadable_or_empty_auth_token_file_is_a_usage_error_naming_it()
    {
        var missing = await RunAsync("-a", "+4366412345678", "daemon", "--tcp", "0.0.0.0:0", "--auth-token-file", "/nonexistent/token");
        Assert.Equal(ExitCodes.Usage, missing.Code);
        Assert.Contains("--auth-token-file /nonexistent/token", missing.Stderr);

        var empty = Path.GetTempFileName();
        try
        {
            var refused = await RunAsync("-a", "+4366412345678", "daemon", "--tcp", "0.0.0.0:0", "--auth-token-file", empty);
            Assert.Equal(ExitCodes.Usage, refused.Code);
            Assert.Contains("empty", refused.Stderr);
        }
        finally
        {
            File.Delete(empty);
        }
    }

    [Fact]
    public async Task Version_and_help()
    {
        var (code, stdout, _) = await RunAsync("--version");
        Assert.Equal(0, code);
        Assert.NotEmpty(stdout.Trim());
        var help = await RunAsync("daemon", "--help");
        Assert.Equal(0, help.Code);
        Assert.Contains("--tcp", help.Stdout);
        Assert.Contains("--max-command-size", help.Stdout);
        Assert.Contains("--auth-token-file", help.Stdout);
        Assert.Contains("300000", help.Stdout);
    }

    [Fact]
    public async Task With_an_account_the_daemon_serves_until_asked_to_stop_and_exits_0()
    {
        var port = FreePort();
        using var stop = new CancellationTokenSource();
        var account = new OneAccount();
        var services = new CliServices(account, stop.Token);
        var stderr = new StringWriter();
        using var config = new TempConfig();
        var run = CliApp.RunAsync(["--config", config.Path, "-a", "+4366412345678", "daemon", "--tcp", $"127.0.0.1:{port}"], new StringWriter(), stderr, services);

        using var client = new TcpClient();
        await ConnectWithRetryAsync(client, port, run, stderr);
        var stream = client.GetStream();
        await stream.WriteAsync("{command:'send_message',recipient:'+4366412345678',dataMessage:{message:'hi'}}\n"u8.ToArray());
        var reader = new StreamReader(stream, Encoding.UTF8);
        var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("""{"command":"send_message","statusCode":0,"timestamp":42}""", line);
        Assert.False(account.SendsReadReceipts, "read receipts only with --send-read-receipts");

        stop.Cancel();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Null(await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task The_built_program_refuses_to_start_without_a_linked_account()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "signal-sharp.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { dll, "--config", "/tmp/signal-sharp-none", "--username", "+4366412345678", "socket" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("+4366412345678", stderr);
        Assert.Contains("/tmp/signal-sharp-none", stderr);
        Assert.Contains("link", stderr);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>
    /// Retries until the daemon listens: bounded by time (generous, for a loaded CI machine), not by a count of short
    /// sleeps, and failing at once with the daemon's stderr if it exited instead.
    /// </summary>
    private static async Task ConnectWithRetryAsync(TcpClient client, int port, Task<int> daemon, StringWriter stderr)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(daemon.IsCompleted, "daemon exited: " + stderr);
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(50);
            }
        }
    }
}
