using SignalSharp.Account.Api;
namespace SignalSharp.Account.Registration;

/// <summary>The server wants a captcha solved before it sends a verification code.</summary>
public sealed class CaptchaRequiredException(string number)
    : AccountException(
        $"registering {number} needs a captcha: solve one at https://signalcaptchas.org/registration/generate.html, "
        + "copy the signalcaptcha:// link it ends with and run register again with --captcha LINK")
{
    public string Number { get; } = number;
}

/// <summary>The server still wants something this client cannot give (e.g. a push challenge) before it sends a code.</summary>
public sealed class VerificationBlockedException(string number, IReadOnlyList<string> requested)
    : AccountException($"the server will not send a code to {number} yet; it asks for: {string.Join(", ", requested)}")
{
    public IReadOnlyList<string> Requested { get; } = requested;
}

/// <summary>`verify` ran without a pending `register` for this number (or the session expired on the server).</summary>
public sealed class RegistrationNotStartedException(string number, string detail)
    : AccountException($"no registration of {number} is waiting for a code ({detail}); run `signal-sharp -a {number} register` first")
{
    public string Number { get; } = number;
}

/// <summary>The server did not accept the verification code.</summary>
public sealed class WrongVerificationCodeException(string number)
    : AccountException($"the verification code for {number} is wrong (or expired); check it, or run register again for a new one")
{
    public string Number { get; } = number;
}

/// <summary>The account has a registration lock (HTTP 423): a PIN and the secure value recovery service are needed.</summary>
public sealed class RegistrationLockedException(string number, bool pinGiven)
    : AccountException(pinGiven
        ? $"{number} has a registration lock; unlocking it with a PIN (secure value recovery) is not supported yet"
        : $"{number} has a registration lock: its PIN is needed (--pin), and unlocking with a PIN is not supported yet")
{
    public string Number { get; } = number;
}

/// <summary>The data directory already holds a registered or linked account for this number.</summary>
public sealed class AccountAlreadyExistsException(string number, string directory)
    : AccountException($"{number} already has an account in {directory}; remove that directory to register it again")
{
    public string Number { get; } = number;
}
