using Microsoft.Extensions.Logging;
using SignalSharp.Account.Api;
using SignalSharp.Account.Storage;
using SignalSharp.Service;
using SignalSharp.Service.Api;
using SignalSharp.Service.Profiles;
using SignalSharp.Service.Transport;
using SignalSharp.Store;

namespace SignalSharp.Account;

/// <summary>
/// Answers the server's rate-limit challenge (the token of a 428) with a captcha the user solved, for the account
/// stored in a directory: its own login, one request, no receiving (signal-cli's submitRateLimitChallenge).
/// </summary>
public static class RateLimitChallenge
{
    /// <exception cref="AccountNotLinkedException">No account in <paramref name="accountDirectory"/>.</exception>
    /// <exception cref="ChallengeRefusedException">The server refused the answer.</exception>
    /// <exception cref="AccountStoppedException">The server refused this device's login or this client.</exception>
    public static async Task SubmitAsync(string accountDirectory, string token, string captcha, ServerProfile? serverOverride = null, ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        ArgumentException.ThrowIfNullOrWhiteSpace(captcha);
        if (!File.Exists(Path.Combine(accountDirectory, AccountDatabase.FileName)))
        {
            throw new AccountNotLinkedException(accountDirectory);
        }

        AccountRecord record;
        var db = await AccountDatabase.OpenAsync(accountDirectory, cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            record = await AccountRecord.LoadAsync(db, cancellationToken).ConfigureAwait(false) ?? throw new AccountNotLinkedException(accountDirectory);
        }

        var profile = serverOverride ?? ServerProfile.Parse(record.ServerProfileJson, accountDirectory, "stored server profile");
        var chat = new ChatConnection(profile, new ChatCredentials(record.Aci.ToString(), record.DeviceId, record.Password), logger: logger);
        await using var disposeChat = chat.ConfigureAwait(false);
        try
        {
            await chat.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ServiceException e) when (AccountStops.From(e) is { } refused)
        {
            throw refused;
        }

        await SubmitOnAsync(chat, token, captcha, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The submission itself, on a chat socket already open (the running account's, or the one above).</summary>
    /// <exception cref="ChallengeRefusedException">The server refused the answer.</exception>
    internal static async Task SubmitOnAsync(ChatConnection chat, string token, string captcha, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        ArgumentException.ThrowIfNullOrWhiteSpace(captcha);
        try
        {
            // signal-cli accepts the captcha as the signalcaptcha:// link the captcha page produces; the server wants the token in it.
            await new ChatApi(chat).SubmitRateLimitChallengeAsync(token, StripScheme(captcha), cancellationToken).ConfigureAwait(false);
        }
        catch (RateLimitChallengeException)
        {
            throw new ChallengeRefusedException("the server asks for a new challenge (HTTP 428)");
        }
        catch (UnexpectedResponseException e)
        {
            throw new ChallengeRefusedException(e.Message);
        }
    }

    internal static string StripScheme(string captcha) =>
        captcha.StartsWith("signalcaptcha://", StringComparison.OrdinalIgnoreCase) ? captcha["signalcaptcha://".Length..] : captcha;
}
