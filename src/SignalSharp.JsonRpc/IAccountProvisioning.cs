namespace SignalSharp.JsonRpc;

/// <summary>
/// Making new accounts from a multi-account daemon, as signal-cli's startLink / finishLink / register / verify do.
/// The host implements it (it knows the data directory and the server) and serves each account it made with
/// <see cref="JsonRpcFrontEnd.AddAccount"/>. Failures are <see cref="Protocol.JsonRpcException"/>s with signal-cli's
/// codes and texts.
/// </summary>
public interface IAccountProvisioning
{
    /// <summary>Opens a link request and returns its <c>sgnl://linkdevice?…</c> URI for the phone to scan.</summary>
    Task<string> StartLinkAsync(CancellationToken cancellationToken);

    /// <summary>Waits for the phone to scan <paramref name="deviceLinkUri"/>, links, serves the account; returns its number.</summary>
    Task<string> FinishLinkAsync(string deviceLinkUri, string? deviceName, CancellationToken cancellationToken);

    /// <summary>Asks the server to send <paramref name="number"/> a verification code.</summary>
    Task RegisterAsync(string number, bool voice, string? captcha, CancellationToken cancellationToken);

    /// <summary>Finishes registering <paramref name="number"/> with the code the server sent, and serves the account.</summary>
    Task VerifyAsync(string number, string verificationCode, string? pin, CancellationToken cancellationToken);
}
