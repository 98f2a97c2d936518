using System.CommandLine;
using SignalSharp.Account;
using SignalSharp.Account.Api;
using SignalSharp.Account.Storage;
using SignalSharp.Cli.Accounts;

namespace SignalSharp.Cli.Commands;

/// <summary>
/// signal-cli's identity commands, working on the stored account without connecting:
/// `signal-sharp -a +NUMBER listIdentities [-n RECIPIENT]` prints each contact's safety number and trust;
/// `signal-sharp -a +NUMBER trust RECIPIENT (--trust-all-known-keys | --verified-safety-number DIGITS)` trusts a
/// contact's current identity key (after a changed safety number, sends to them fail until then).
/// </summary>
internal static class IdentityCommands
{
    public static Command CreateList(GlobalOptions globals, TextWriter stdout, TextWriter stderr)
    {
        var number = new Option<string?>("--number", "-n") { Description = "Only this contact (a phone number or service id)", HelpName = "RECIPIENT" };
        var command = new Command("listIdentities", "List the contacts' identity keys: safety number and trust") { number };
        command.SetAction((parseResult, cancellationToken) => WithAccountAsync(globals, parseResult, stderr, async account =>
        {
            RecipientAddress? only = null;
            if (parseResult.GetValue(number) is { } text)
            {
                if (!RecipientAddress.TryParse(text, out var parsed))
                {
                    await stderr.WriteLineAsync($"signal-sharp: '{text}' is not a phone number or service id").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                only = parsed;
            }

            foreach (var entry in await account.ListIdentitiesAsync(only, cancellationToken).ConfigureAwait(false))
            {
                await stdout.WriteLineAsync($"{entry.Number ?? entry.ServiceId.ToString()}: {TrustName(entry.Trust)} Added: {entry.AddedAt:u} "
                    + $"Safety number: {entry.SafetyNumber}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command CreateTrust(GlobalOptions globals, TextWriter stdout, TextWriter stderr)
    {
        var recipient = new Argument<string>("RECIPIENT") { Description = "The contact (a phone number or service id)" };
        var all = new Option<bool>("--trust-all-known-keys") { Description = "Trust the contact's current identity key without comparing" };
        var verified = new Option<string?>("--verified-safety-number")
        {
            Description = "Trust the contact's key only if this is its safety number (the 60 digits, spaces allowed)",
            HelpName = "DIGITS",
        };
        var command = new Command("trust", "Trust a contact's current identity key (after its safety number changed)") { recipient, all, verified };
        command.SetAction((parseResult, cancellationToken) => WithAccountAsync(globals, parseResult, stderr, async account =>
        {
            var text = parseResult.GetValue(recipient)!;
            var number = parseResult.GetValue(verified);
            if (!RecipientAddress.TryParse(text, out var address) || parseResult.GetValue(all) == (number is not null))
            {
                await stderr.WriteLineAsync("signal-sharp: trust RECIPIENT needs a phone number or service id and exactly one of "
                    + "--trust-all-known-keys or --verified-safety-number").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            TrustRequest request = number is null ? new TrustAllKnownKeys() : new TrustVerifiedSafetyNumber(number);
            var entry = await account.TrustAsync(address.Value, request, cancellationToken).ConfigureAwait(false);
            await stdout.WriteLineAsync($"{text}: {TrustName(entry.Trust)}").ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static async Task<int> WithAccountAsync(GlobalOptions globals, ParseResult parseResult, TextWriter stderr, Func<ISignalAccount, Task<int>> work)
    {
        var number = parseResult.GetValue(globals.Account);
        var config = ConfigDirectory.Resolve(parseResult.GetValue(globals.Config));
        if (!await AccountNumber.CheckAsync(number, config, "", stderr).ConfigureAwait(false))
        {
            return ExitCodes.AccountProblem;
        }

        var options = LinkedAccountOptions.Default with { TrustNewIdentities = GlobalOptions.ParseTrust(parseResult.GetValue(globals.TrustNewIdentities)) };
        await using var account = await LinkedAccount.OpenAsync(AccountDirectory.For(config, number!), null, options, null, CancellationToken.None).ConfigureAwait(false);
        if (account is null)
        {
            await stderr.WriteLineAsync($"signal-sharp: account {number} not found in {config}").ConfigureAwait(false);
            return ExitCodes.AccountProblem;
        }

        try
        {
            return await work(account).ConfigureAwait(false);
        }
        catch (AccountException e)
        {
            await stderr.WriteLineAsync($"signal-sharp: {e.Message}").ConfigureAwait(false);
            return ExitCodes.AccountProblem;
        }
    }

    private static string TrustName(IdentityTrust trust) => trust switch
    {
        IdentityTrust.TrustedVerified => "TRUSTED_VERIFIED",
        IdentityTrust.TrustedUnverified => "TRUSTED_UNVERIFIED",
        _ => "UNTRUSTED",
    };
}
