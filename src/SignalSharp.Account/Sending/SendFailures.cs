using SignalSharp.Account.Api;
using SignalSharp.Service;
using SignalSharp.Service.Api;

namespace SignalSharp.Account.Sending;

/// <summary>
/// Turns the server's refusals of a send into errors a daemon client can act on: what happened, in words, with the
/// HTTP status for whoever reads logs. 404 is not here: it means "no such user" and has its own status code.
/// </summary>
internal static class SendFailures
{
    public static bool TryExplain(ServiceException exception, string recipient, out SendFailedException explained)
    {
        string? reason = exception switch
        {
            RateLimitChallengeException challenge =>
                "Signal's server is rate-limiting messages to this recipient and wants a challenge solved first (HTTP 428"
                + (challenge.Options.Count > 0 ? ", options: " + string.Join(", ", challenge.Options) : "")
                + "); wait a while, or solve a captcha at https://signalcaptchas.org/challenge/generate and answer with "
                + $"`signal-sharp -a NUMBER submit-rate-limit-challenge {challenge.Token} CAPTCHA`",
            PayloadTooLargeException => "the message is larger than the server accepts (HTTP 413)",
            ServiceAuthenticationException =>
                "the server refused this device's credentials (HTTP 401): the device may have been unlinked or the account "
                + "registered elsewhere; link or register again",
            _ => null,
        };
        explained = new SendFailedException(recipient, reason ?? exception.Message)
        {
            RateLimitChallengeToken = (exception as RateLimitChallengeException)?.Token,
        };
        return reason is not null;
    }
}
