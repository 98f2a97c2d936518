using SignalSharp.Account.Api;

namespace SignalSharp.Cli.Commands;

/// <summary>The `-a/--account +NUMBER` every account command needs, checked with one wording for all of them.</summary>
internal static class AccountNumber
{
    /// <summary>
    /// True when <paramref name="account"/> names an account: an E.164 number, or the ACI of an account without a
    /// number (as `link` printed it); otherwise writes why not (with <paramref name="hint"/>).
    /// </summary>
    public static async Task<bool> CheckAsync(string? account, string configDirectory, string hint, TextWriter stderr)
    {
        if (string.IsNullOrEmpty(account))
        {
            await stderr.WriteLineAsync(
                $"signal-sharp: no account given. Name one with -a/--account +NUMBER; accounts are kept in {configDirectory}. {hint}").ConfigureAwait(false);
            return false;
        }

        if (!IsAccountName(account))
        {
            await stderr.WriteLineAsync(NotAnAccountName(account)).ConfigureAwait(false);
            return false;
        }

        return true;
    }

    /// <summary>An E.164 number, or the ACI that names an account without a number (its folder's name, lower case).</summary>
    public static bool IsAccountName(string account) =>
        RecipientAddress.IsE164(account) || (Guid.TryParse(account, out var aci) && aci.ToString() == account);

    public static string NotAnAccountName(string account) =>
        $"signal-sharp: account '{account}' is not a phone number in E.164 form ('+' then 7 to 15 digits, e.g. +4366412345678), "
        + "nor the ACI of an account without a number (as `signal-sharp link` printed it).";
}
