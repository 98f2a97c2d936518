using System.CommandLine;
using SignalSharp.Account;
using SignalSharp.Account.Storage;
using System.Text.Json.Nodes;
using SignalSharp.Cli.Accounts;
using SignalSharp.Cli.OneShot;

namespace SignalSharp.Cli.Commands;

/// <summary>
/// `signal-sharp -a +NUMBER submit-rate-limit-challenge CHALLENGE CAPTCHA` (signal-cli's name): answers the token a
/// rate-limited send reported (HTTP 428) with a captcha solved at https://signalcaptchas.org/challenge/generate.
/// Through the daemon that serves the account when one runs; otherwise with a login of its own for the one request.
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
            // A daemon serving the account holds its login; logging in again here would make production close the
            // daemon's socket (4409, connected elsewhere). So the daemon answers the challenge when one runs.
            var request = DaemonClient.RequestLine(number!, "submitRateLimitChallenge", new JsonObject { ["challenge"] = challenge, ["captcha"] = captcha });
            if (await DaemonClient.TryCallAsync(ControlSocket.PathFor(configDirectory, number!), request, cancellationToken).ConfigureAwait(false) is { } answer)
            {
                if (answer["error"] is JsonObject error)
                {
                    await stderr.WriteLineAsync($"signal-sharp: the challenge could not be submitted: {(string?)error["message"]}").ConfigureAwait(false);
                    return ExitCodes.CommandFailed;
                }

                await stderr.WriteLineAsync("Challenge accepted; sending may resume.").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await RateLimitChallenge.SubmitAsync(AccountDirectory.For(configDirectory, number!), challenge, captcha,
                logger: loggerFactory.CreateLogger("SignalSharp.Challenge"), cancellationToken: cancellationToken).ConfigureAwait(false);
            await stderr.WriteLineAsync("Challenge accepted; sending may resume.").ConfigureAwait(false);
            return ExitCodes.Success;
        }).ConfigureAwait(false);
    }
}
