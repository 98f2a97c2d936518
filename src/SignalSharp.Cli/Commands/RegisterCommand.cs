using System.CommandLine;
using SignalSharp.Account;
using SignalSharp.Account.Registration;
using SignalSharp.Cli.Accounts;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Cli.Commands;

/// <summary>
/// `signal-sharp -a +NUMBER register [--captcha TOKEN] [--voice] [--server FILE]`: the first half of registering a
/// number as a new primary account (signal-cli's spelling). The server sends a code by SMS or voice call; `verify`
/// finishes.
/// </summary>
internal static class RegisterCommand
{
    public static Command Create(GlobalOptions globals, TextWriter stderr)
    {
        var captcha = new Option<string?>("--captcha")
        {
            Description = "The captcha the server asks for: the signalcaptcha:// link from https://signalcaptchas.org/registration/generate.html",
            HelpName = "TOKEN",
        };
        var voice = new Option<bool>("--voice")
        {
            Description = "Have the code read out by a voice call instead of sent by SMS",
        };
        var server = ServerOption("Register with this server profile (JSON) instead of Signal's production service, e.g. a local mock");
        var command = new Command("register", "Register the -a number as a new Signal account: asks the server to send a verification code")
        {
            captcha,
            voice,
            server,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(globals.Account),
            ConfigDirectory.Resolve(parseResult.GetValue(globals.Config)),
            globals.ReadLogs(parseResult),
            parseResult.GetValue(captcha),
            parseResult.GetValue(voice),
            parseResult.GetValue(server),
            stderr,
            cancellationToken));
        return command;
    }

    internal static Option<string?> ServerOption(string description) => new("--server")
    {
        Description = description,
        HelpName = "FILE",
    };

    internal static async Task<int> RunAsync(string? number, string configDirectory, Hosting.LogSettings logs, string? captcha, bool voice, string? serverFile,
        TextWriter stderr, CancellationToken cancellationToken)
    {
        if (!await AccountNumber.CheckAsync(number, configDirectory, "Name the number to register, e.g. `signal-sharp -a +4366412345678 register`.", stderr).ConfigureAwait(false))
        {
            return ExitCodes.AccountProblem;
        }

        return await CommandFailures.RunAsync(stderr, "requesting a verification code failed", async () =>
        {
            var profile = ServerProfileFile.Load(serverFile);
            using var loggerFactory = Hosting.Logging.Create(logs);
            var registration = new PrimaryRegistration(configDirectory, loggerFactory.CreateLogger("SignalSharp.Register"));
            await registration.RequestCodeAsync(profile ?? ServerProfile.Production, number!, captcha, voice, cancellationToken).ConfigureAwait(false);
            await stderr.WriteLineAsync(
                $"A verification code for {number} is on its way by {(voice ? "voice call" : "SMS")}. Finish with: signal-sharp -a {number} verify CODE").ConfigureAwait(false);
            return ExitCodes.Success;
        }).ConfigureAwait(false);
    }
}
