using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SignalSharp.Account.Api;
using SignalSharp.Account.Linking;
using SignalSharp.Account.Registration;
using SignalSharp.Account.Storage;
using SignalSharp.Cli.Commands;
using SignalSharp.JsonRpc;
using SignalSharp.JsonRpc.Protocol;
using SignalSharp.Service;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Cli.Accounts;

/// <summary>
/// startLink / finishLink / register / verify for a multi-account daemon: links and registrations as the `link`,
/// `register` and `verify` commands make them, under the daemon's data directory and against its server (its
/// `--server` profile, else Signal's production service); each account made is handed to <paramref name="serve"/>.
/// Errors carry signal-cli's codes: the server failing is -3, everything the user can fix -1.
/// </summary>
internal sealed class DaemonProvisioning(string configDirectory, ServerProfile? server, ILoggerFactory loggers, Func<string, CancellationToken, Task> serve)
    : IAccountProvisioning, IAsyncDisposable
{
    /// <summary>The name the phone shows for a device linked without one.</summary>
    public const string DefaultDeviceName = "signal-sharp";

    private readonly ConcurrentDictionary<string, PendingDeviceLink> pending = new(StringComparer.Ordinal);

    private ServerProfile Profile => server ?? ServerProfile.Production;

    public Task<string> StartLinkAsync(CancellationToken cancellationToken) => ServerCallAsync("starting a device link failed", async () =>
    {
        var link = await new DeviceLinker(Profile, configDirectory, loggers.CreateLogger("SignalSharp.Link")).StartLinkAsync(cancellationToken).ConfigureAwait(false);
        var uri = link.Uri.OriginalString;
        pending[uri] = link;
        return uri;
    });

    public async Task<string> FinishLinkAsync(string deviceLinkUri, string? deviceName, CancellationToken cancellationToken)
    {
        if (!pending.TryRemove(deviceLinkUri, out var link))
        {
            throw new JsonRpcException(JsonRpcErrorCodes.UserError, "Unknown device link uri.");
        }

        await using (link.ConfigureAwait(false))
        {
            return await ServerCallAsync("linking failed", async () =>
            {
                AccountRecord record;
                try
                {
                    record = await link.FinishAsync(deviceName ?? DefaultDeviceName, cancellationToken).ConfigureAwait(false);
                }
                catch (LinkCodeExpiredException)
                {
                    throw new JsonRpcException(JsonRpcErrorCodes.UserError, "Link request timed out, please try again.");
                }
                catch (ArgumentException e)
                {
                    throw new JsonRpcException(JsonRpcErrorCodes.UserError, e.Message);
                }

                await serve(record.Name, cancellationToken).ConfigureAwait(false);
                return record.Name;
            }).ConfigureAwait(false);
        }
    }

    public Task RegisterAsync(string number, bool voice, string? captcha, CancellationToken cancellationToken) =>
        ServerCallAsync("requesting a verification code failed", async () =>
        {
            CheckNumber(number);
            await Registration().RequestCodeAsync(Profile, number, captcha, voice, cancellationToken).ConfigureAwait(false);
            return number;
        });

    public Task VerifyAsync(string number, string verificationCode, string? pin, CancellationToken cancellationToken) =>
        ServerCallAsync("registration failed", async () =>
        {
            CheckNumber(number);
            var record = await Registration().VerifyAsync(number, verificationCode, pin, server, cancellationToken).ConfigureAwait(false);
            await serve(record.Name, cancellationToken).ConfigureAwait(false);
            return record.Name;
        });

    /// <summary>Closes the links started and never finished.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var uri in pending.Keys)
        {
            if (pending.TryRemove(uri, out var link))
            {
                await link.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private PrimaryRegistration Registration() => new(configDirectory, loggers.CreateLogger("SignalSharp.Register"));

    private static void CheckNumber(string number)
    {
        if (!Account.Api.RecipientAddress.IsE164(number))
        {
            throw new JsonRpcException(JsonRpcErrorCodes.UserError, AccountNumber.NotAnAccountName(number)["signal-sharp: ".Length..]);
        }
    }

    /// <summary>The server's failures as I/O errors (-3) naming what was being done; the account's own as the dispatcher maps them.</summary>
    private static async Task<T> ServerCallAsync<T>(string activity, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ServiceException e)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.IoError, $"{activity}: {e.Message}");
        }
    }
}
