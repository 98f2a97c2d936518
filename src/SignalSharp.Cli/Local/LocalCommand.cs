using System.Runtime.InteropServices;
using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using SignalSharp.Account.Linking;
using SignalSharp.Cli.Accounts;
using SignalSharp.Cli.Commands;
using SignalSharp.Cli.Hosting;
using SignalSharp.MockHarness;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Cli.Local;

/// <summary>
/// `signal-sharp local`: everything on this machine, for a first try. Installs Signal's mock server from npm if
/// needed, starts it on loopback with a phone whose contact Alice greets once and answers every message (<see cref="AliceChat"/>), links a
/// SignalSharp device to the phone and runs the daemon (127.0.0.1:6789 by default) until Ctrl-C, which stops it all.
/// </summary>
internal static class LocalCommand
{
    public static Command Create(GlobalOptions globals, TextWriter stdout, TextWriter stderr)
    {
        var tcp = new Option<string?>("--tcp")
        {
            Description = "Where the daemon listens [default: 127.0.0.1:6789]",
            HelpName = "HOST:PORT",
        };
        var command = new Command("local", "Run Signal's mock server, a phone with contact Alice (greets, echoes), a linked device and the daemon, all on this machine")
        {
            tcp,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(tcp) ?? "127.0.0.1:6789",
            globals.ReadLogs(parseResult),
            stdout,
            stderr,
            cancellationToken));
        return command;
    }

    internal static async Task<int> RunAsync(string tcp, Hosting.LogSettings logs, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var interop = FindInteropDirectory();
        if (interop is null)
        {
            await stderr.WriteLineAsync("signal-sharp: local: cannot find interop/mock/harness.mjs; run this from the SignalSharp repository").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (!Directory.Exists(Path.Combine(interop, "node_modules", "@signalapp", "mock-server")))
        {
            await Progress(stdout, "Installing Signal's mock server from npm (once)…").ConfigureAwait(false);
            if (!await RunNpmCiAsync(interop, cancellationToken).ConfigureAwait(false))
            {
                await stderr.WriteLineAsync("signal-sharp: local: `npm ci` in interop/ failed (are node and npm installed?)").ConfigureAwait(false);
                return ExitCodes.AccountProblem;
            }
        }

        var config = Directory.CreateTempSubdirectory("signal-sharp-local-").FullName;
        using var stopAlice = new CancellationTokenSource();
        // Ctrl-C reaches node (same process group) as well as the daemon: Alice's loops must know it is a stop, not
        // a failure of the harness, before node's exit fails their pending commands.
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => stopAlice.Cancel());
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => stopAlice.Cancel());
        Task? alice = null;
        Task? aliceInGroup = null;
        Task? contacts = null;
        try
        {
            await Progress(stdout, "Starting the mock server…").ConfigureAwait(false);
            await using var harness = await MockHarnessProcess.StartAsync(interop, new MockHarnessOptions(CommandTimeout: TimeSpan.FromMinutes(2)), cancellationToken).ConfigureAwait(false);
            var profilePath = Path.Combine(config, "mock-server.json");
            harness.WriteServerProfile(profilePath, "local mock");
            await Progress(stdout, $"Mock server on {harness.Ready["urls"]!["chat"]}; phone {harness.Ready["phone"]!["number"]}, contact Alice {harness.Ready["contacts"]![0]!["number"]}").ConfigureAwait(false);

            await Progress(stdout, "Linking a SignalSharp device to the phone…").ConfigureAwait(false);
            Task<JsonNode?>? phoneScan = null;
            using var loggerFactory = Logging.Create(logs);
            var linker = new DeviceLinker(ServerProfile.Load(profilePath), config, loggerFactory.CreateLogger("SignalSharp.Link")) { OneTimePreKeyCount = 20 };
            var record = await linker.LinkAsync("signal-sharp local", uri =>
                phoneScan = harness.CommandAsync("link", new JsonObject { ["provisionUrl"] = uri.OriginalString }, cancellationToken), cancellationToken).ConfigureAwait(false);
            await phoneScan!.ConfigureAwait(false);
            await Progress(stdout, $"Linked as {record.Number} (device {record.DeviceId})").ConfigureAwait(false);

            var echoGroup = await EchoGroup.CreateAsync(harness, cancellationToken).ConfigureAwait(false);
            alice = new AliceChat(harness, line => Progress(stdout, line)).RunAsync(stopAlice.Token);
            aliceInGroup = echoGroup.RunAliceAsync(harness, line => Progress(stdout, line), stopAlice.Token);
            await Progress(stdout, $"The phone made \"{EchoGroup.Title}\" with Alice and Bob: {{command:'send_message',groupId:'{echoGroup.GroupId}',dataMessage:{{message:'hello all'}}}}").ConfigureAwait(false);
            await Progress(stdout, "Ask Alice for a group: send her the text \"make a group\" and she makes one with you and Bob").ConfigureAwait(false);
            contacts = record.Number is { } number ? LocalContacts.PrintAsync(config, number, line => Progress(stdout, line), stopAlice.Token) : null;
            await Progress(stdout, $"Daemon on {tcp}. Try:  socat - TCP:{tcp}   then type:  {{command:'receive_messages'}}").ConfigureAwait(false);
            await Progress(stdout, $"  or  {{command:'send_message',recipient:'{harness.Ready["contacts"]![0]!["number"]}',dataMessage:{{message:'hello'}}}}   (Ctrl-C stops everything)").ConfigureAwait(false);
            var services = new CliServices(new StoredAccountOpener(loggerFactory), CancellationToken.None);
            var code = await DaemonCommand.RunAsync(new DaemonSettings(record.Number, config, logs, tcp, null), services, stderr, cancellationToken).ConfigureAwait(false);
            await Progress(stdout, "Stopping…").ConfigureAwait(false);
            await stopAlice.CancelAsync().ConfigureAwait(false);
            return code;
        }
        finally
        {
            await stopAlice.CancelAsync().ConfigureAwait(false);
            if (alice is not null)
            {
                await alice.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            if (aliceInGroup is not null)
            {
                await aliceInGroup.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            if (contacts is not null)
            {
                await contacts.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            try
            {
                Directory.Delete(config, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task Progress(TextWriter stdout, string line)
    {
        await stdout.WriteLineAsync("[local] " + line).ConfigureAwait(false);
        await stdout.FlushAsync().ConfigureAwait(false);
    }

    private static async Task<bool> RunNpmCiAsync(string interop, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("npm") { WorkingDirectory = interop, UseShellExecute = false };
        start.ArgumentList.Add("ci");
        start.ArgumentList.Add("--no-audit");
        start.ArgumentList.Add("--no-fund");
        using var npm = Process.Start(start);
        if (npm is null)
        {
            return false;
        }

        await npm.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return npm.ExitCode == 0;
    }

    private static string? FindInteropDirectory()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "interop");
                if (File.Exists(Path.Combine(candidate, "mock", "harness.mjs")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
