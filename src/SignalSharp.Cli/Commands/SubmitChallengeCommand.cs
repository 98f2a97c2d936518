using System.CommandLine;
using SignalSharp.Account;
using SignalSharp.Account.Storage;
using SignalSharp.Cli.Accounts;

namespace SignalSharp.Cli.Commands;

/// <summary>
/// `signal-sharp -a +NUMBER submit-rate-limit-challenge CHALLENGE CAPTCHA` (signal-cli's name): answers the token a
/// rate-limited send reported (HTTP 428) with a captcha solved at https://signalcaptchas.org/challenge/generate.
/// </summary>
internal static class SubmitChallengeCommand
{
    public static Command Create(GlobalOptions globals, TextWriter stderr)
    {
        var challenge = new Argument<string>("CHALLENGE") { Description = "The challenge token from the refused send" };
        var captcha = new Argument<string>("CAPTCHA") { Description = "The captcha token (the signalcaptcha:// link is accepted)" };
        var command = new Command("submit-rate-limit-challenge", "Answer the server's rate-limit challenge for the -a account with a solved captcha")
        {
            challenge,
            captcha,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(globals.Account),
            ConfigDirectory.Resolve(parseResult.GetValue(globals.Config)),
            globals.ReadLogs(parseResult),
            parseResult.GetValue(challenge)!,
            parseResult.GetValue(captcha)!,
            stderr,
            cancellationToken));
        return command;
    }

    internal static async Task<int> RunAsync(string? number, string configDirectory, Hosting.LogSettings logs, string challenge, string captcha, TextWriter stderr,
        CancellationToken cancellationToken)
    {
        if (!await AccountNumber.CheckAsync(number, configDirectory, "e.g. `signal-sharp -a +4366412345678 submit-rate-limit-challenge TOKEN CAPTCHA`.", stderr).ConfigureAwait(false))
        {
            return ExitCodes.AccountProblem;
        }

        using var loggerFactory = Hosting.Logging.Create(logs);
        return await CommandFailures.RunAsync(stderr, "the challenge could not be submitted", async () =>
        {
            await RateLimitChallenge.SubmitAsync(AccountDirectory.For(configDirectory, number!), challenge, captcha,
                logger: loggerFactory.CreateLogger("SignalSharp.Challenge"), cancellationToken: cancellationToken).ConfigureAwait(false);
            await stderr.WriteLineAsync("Challenge accepted; sending may resume.").ConfigureAwait(false);
            return ExitCodes.Success;
        }).ConfigureAwait(false);
    }
}
