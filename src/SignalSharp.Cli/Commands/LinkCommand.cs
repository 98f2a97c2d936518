using System.CommandLine;
using SignalSharp.Account;
using SignalSharp.Account.Linking;
using SignalSharp.Cli.Accounts;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Cli.Commands;

/// <summary>
/// `signal-sharp link [-n NAME] [--server FILE]`: links this machine as a new device of an existing Signal account.
/// Prints the sgnl://linkdevice URI for the phone to scan (Settings → Linked devices), and a new one whenever the
/// server lets the last one expire (until the phone scans or the user stops the command), waits for the phone, saves
/// the account under the data directory and prints its number.
/// </summary>
internal static class LinkCommand
{
    public static Command Create(GlobalOptions globals, TextWriter stdout, TextWriter stderr)
    {
        var name = new Option<string?>("--name", "-n")
        {
            Description = "The device name the phone shows [default: signal-sharp]",
            HelpName = "NAME",
        };
        var server = new Option<string?>("--server")
        {
            Description = "A server profile (JSON) to link against instead of Signal's production service, e.g. a local mock",
            HelpName = "FILE",
        };
        var command = new Command("link", "Link this device to an existing Signal account (scan the printed URI with the phone)")
        {
            name,
            server,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(name) ?? "signal-sharp",
            parseResult.GetValue(server),
            ConfigDirectory.Resolve(parseResult.GetValue(globals.Config)),
            globals.ReadLogs(parseResult),
            stdout,
            stderr,
            cancellationToken));
        return command;
    }

    internal static async Task<int> RunAsync(string deviceName, string? serverFile, string configDirectory, Hosting.LogSettings logs, TextWriter stdout, TextWriter stderr,
        CancellationToken cancellationToken)
    {
        return await CommandFailures.RunAsync(stderr, "linking failed", async () =>
        {
            var profile = ServerProfileFile.Load(serverFile) ?? ServerProfile.Production;
            using var loggerFactory = Hosting.Logging.Create(logs);
            var linker = new DeviceLinker(profile, configDirectory, loggerFactory.CreateLogger("SignalSharp.Link"));
            var shown = 0;
            var record = await linker.LinkAsync(deviceName, uri =>
            {
                if (shown++ > 0)
                {
                    stderr.WriteLine("The server closed the last link code before the phone scanned it (it does after 60 to 90 seconds); here is a new one.");
                }

                // The URI first, alone on its line (scripts read it); the QR code for a phone's camera on stderr.
                stdout.WriteLine(uri.OriginalString);
                stdout.Flush();
                stderr.WriteLine(Hosting.TerminalQrCode.Render(uri.OriginalString));
                stderr.WriteLine("Scan this with Signal on the phone: Settings → Linked devices → Link new device.");
                stderr.Flush();
            }, cancellationToken).ConfigureAwait(false);
            await stdout.WriteLineAsync(record.Name).ConfigureAwait(false);
            await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        }).ConfigureAwait(false);
    }
}
