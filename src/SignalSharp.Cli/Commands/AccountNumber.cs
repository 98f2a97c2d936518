using SignalSharp.Account.Api;

namespace SignalSharp.Cli.Commands;

/// <summary>The `-a/--account +NUMBER` every account command needs, checked with one wording for all of them.</summary>
internal static class AccountNumber
{
    /// <summary>True when <paramref name="account"/> is an E.164 number; otherwise writes why not (with <paramref name="hint"/>).</summary>
    public static async Task<bool> CheckAsync(string? account, string configDirectory, string hint, TextWriter stderr)
    {
        if (string.IsNullOrEmpty(account))
        {
            await stderr.WriteLineAsync(
                $"signal-sharp: no account given. Name one with -a/--account +NUMBER; accounts are kept in {configDirectory}. {hint}").ConfigureAwait(false);
            return false;
        }

        if (!RecipientAddress.IsE164(account))
        {
            await stderr.WriteLineAsync(
                $"signal-sharp: account '{account}' is not a phone number in E.164 form ('+' then 7 to 15 digits, e.g. +4366412345678).").ConfigureAwait(false);
            return false;
        }

        return true;
    }
}
