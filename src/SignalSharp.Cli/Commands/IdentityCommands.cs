using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Cli.OneShot;

namespace SignalSharp.Cli.Commands;

/// <summary>
/// signal-cli's identity commands, run as its JSON-RPC methods through the daemon that serves the account when one
/// runs (so they work while it does), else on the account opened here:
/// `signal-sharp -a +NUMBER listIdentities [-n RECIPIENT]` prints each contact's safety number and trust (with
/// `-o json` the JSON-RPC result); `signal-sharp -a +NUMBER trust RECIPIENT (--trust-all-known-keys |
/// --verified-safety-number DIGITS)` trusts a contact's current identity key (after a changed safety number, sends
/// to them fail until then).
/// </summary>
internal static class IdentityCommands
{
    public static Command CreateList(GlobalOptions globals, CliServices services, TextWriter stdout, TextWriter stderr)
    {
        var number = new Option<string?>("--number", "-n") { Description = "Only this contact (a phone number or service id)", HelpName = "RECIPIENT" };
        var command = new Command("listIdentities", "List the contacts' identity keys: safety number and trust") { number };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var parameters = new JsonObject();
            if (parseResult.GetValue(number) is { } text)
            {
                if (!RecipientAddress.TryParse(text, out _))
                {
                    await stderr.WriteLineAsync($"signal-sharp: '{text}' is not a phone number or service id").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                parameters["number"] = text;
            }

            return await OneShotCommands.RunAsync(globals, parseResult, services, stderr, "listIdentities", parameters, async result =>
            {
                if (globals.IsJson(parseResult))
                {
                    await stdout.WriteLineAsync(OneShotCommands.Json(result)).ConfigureAwait(false);
                    return;
                }

                foreach (var entry in result.AsArray())
                {
                    var added = DateTimeOffset.FromUnixTimeMilliseconds((long)entry!["addedTimestamp"]!);
                    await stdout.WriteLineAsync($"{(string?)entry["number"] ?? (string?)entry["uuid"]}: {(string?)entry["trustLevel"]} "
                        + $"Added: {added.ToString("u", CultureInfo.InvariantCulture)} Safety number: {(string?)entry["safetyNumber"]}").ConfigureAwait(false);
                }
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    public static Command CreateTrust(GlobalOptions globals, CliServices services, TextWriter stdout, TextWriter stderr)
    {
        var recipient = new Argument<string>("RECIPIENT") { Description = "The contact (a phone number or service id)" };
        var all = new Option<bool>("--trust-all-known-keys") { Description = "Trust the contact's current identity key without comparing" };
        var verified = new Option<string?>("--verified-safety-number")
        {
            Description = "Trust the contact's key only if this is its safety number (the 60 digits, spaces allowed)",
            HelpName = "DIGITS",
        };
        var command = new Command("trust", "Trust a contact's current identity key (after its safety number changed)") { recipient, all, verified };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var text = parseResult.GetValue(recipient)!;
            var safetyNumber = parseResult.GetValue(verified);
            var trustAll = parseResult.GetValue(all);
            if (!RecipientAddress.TryParse(text, out _) || trustAll == (safetyNumber is not null))
            {
                await stderr.WriteLineAsync("signal-sharp: trust RECIPIENT needs a phone number or service id and exactly one of "
                    + "--trust-all-known-keys or --verified-safety-number").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var parameters = new JsonObject { ["recipient"] = text };
            if (trustAll)
            {
                parameters["trustAllKnownKeys"] = true;
            }
            else
            {
                parameters["verifiedSafetyNumber"] = safetyNumber;
            }

            return await OneShotCommands.RunAsync(globals, parseResult, services, stderr, "trust", parameters, async _ =>
            {
                // signal-cli prints nothing (nor does -o json here); plain text names the trust the key now has.
                if (!globals.IsJson(parseResult))
                {
                    await stdout.WriteLineAsync($"{text}: {(trustAll ? "TRUSTED_UNVERIFIED" : "TRUSTED_VERIFIED")}").ConfigureAwait(false);
                }
            }, cancellationToken, message => $"trust {text}: {message}").ConfigureAwait(false);
        });
        return command;
    }
}
