using SignalSharp.Account.Api;
using SignalSharp.Account.Storage;
using SignalSharp.Service;
using SignalSharp.Service.Provisioning;
using SignalSharp.Service.Transport;

namespace SignalSharp.Account.Linking;

/// <summary>
/// A link started with <see cref="DeviceLinker.StartLinkAsync"/>: its URI is shown to the phone, and
/// <see cref="FinishAsync"/> waits for the phone to scan it. It holds the provisioning socket open until finished
/// or disposed; it can be finished once.
/// </summary>
public sealed class PendingDeviceLink : IAsyncDisposable
{
    private readonly DeviceLinker linker;
    private readonly ProvisioningSession session;
    private readonly ProvisioningSocket socket;
    private int finishing;

    internal PendingDeviceLink(DeviceLinker linker, ProvisioningSession session, ProvisioningSocket socket, Uri uri)
    {
        this.linker = linker;
        this.session = session;
        this.socket = socket;
        Uri = uri;
    }

    /// <summary>The <c>sgnl://linkdevice?…</c> URI for the phone to scan.</summary>
    public Uri Uri { get; }

    /// <summary>Waits for the phone, then links and saves the account.</summary>
    /// <exception cref="LinkCodeExpiredException">The server closed the provisioning socket before the phone scanned.</exception>
    /// <exception cref="InvalidOperationException">The link is already being finished.</exception>
    public async Task<AccountRecord> FinishAsync(string deviceName, CancellationToken cancellationToken = default)
    {
        DeviceLinker.CheckDeviceName(deviceName);
        if (Interlocked.Exchange(ref finishing, 1) != 0)
        {
            throw new InvalidOperationException("this link is already being finished");
        }

        ProvisionData data;
        try
        {
            data = session.Decrypt(await socket.WaitForEnvelopeAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (ServiceConnectionException e) when (socket.Closed.IsCompleted && !cancellationToken.IsCancellationRequested)
        {
            throw new LinkCodeExpiredException(e);
        }

        return await linker.CompleteAsync(data, deviceName, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await socket.DisposeAsync().ConfigureAwait(false);
        session.Dispose();
    }
}
