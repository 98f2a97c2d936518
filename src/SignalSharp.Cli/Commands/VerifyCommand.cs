using System.CommandLine;
using SignalSharp.Account;
using SignalSharp.Account.Registration;
using SignalSharp.Cli.Accounts;

namespace SignalSharp.Cli.Commands;

/// <summary>
/// `signal-sharp -a +NUMBER verify CODE [--pin PIN] [--server FILE]`: the second half of registration. Checks the code,
/// creates the account with fresh identity keys and pre-keys, and saves it where `daemon` finds it. Prints the number.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create(GlobalOptions globals, TextWriter stdout, TextWriter stderr)
    {
        var code = new Argument<string>("CODE") { Description = "The verification code the server sent (e.g. 123456 or 123-456)" };
        var pin = new Option<string?>("--pin")
        {
            Description = "The registration lock PIN, if the number has one",
            HelpName = "PIN",
        };
        var server = RegisterCommand.ServerOption("Use this server profile (JSON) instead of the one `register` used");
        var command = new Command("verify", "Finish registering the -a number with the code the server sent")
        {
            code,
            pin,
            server,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(globals.Account),
            ConfigDirectory.Resolve(parseResult.GetValue(globals.Config)),
            globals.ReadLogs(parseResult),
            parseResult.GetValue(code)!,
            parseResult.GetValue(pin),
            parseResult.GetValue(server),
            stdout,
            stderr,
            cancellationToken));
        return command;
    }

    internal static async Task<int> RunAsync(string? number, string configDirectory, Hosting.LogSettings logs, string code, string? pin, string? serverFile,
        TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (!await AccountNumber.CheckAsync(number, configDirectory, "Name the number being registered, e.g. `signal-sharp -a +4366412345678 verify 123456`.", stderr).ConfigureAwait(false))
        {
            return ExitCodes.AccountProblem;
        }

        return await CommandFailures.RunAsync(stderr, "registration failed", async () =>
        {
            var profile = ServerProfileFile.Load(serverFile);
            using var loggerFactory = Hosting.Logging.Create(logs);
            var registration = new PrimaryRegistration(configDirectory, loggerFactory.CreateLogger("SignalSharp.Register"));
            var record = await registration.VerifyAsync(number!, code, pin, profile, cancellationToken).ConfigureAwait(false);
            await stdout.WriteLineAsync(record.Number).ConfigureAwait(false);
            await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
            await stderr.WriteLineAsync($"Registered {record.Number} (ACI {record.Aci}). Run it with: signal-sharp -a {record.Number} daemon").ConfigureAwait(false);
            return ExitCodes.Success;
        }).ConfigureAwait(false);
    }
}
