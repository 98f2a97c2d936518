using Microsoft.Extensions.Logging;
using SignalSharp.Protocol.SealedSender;
using SignalSharp.Service.Api;
using SignalSharp.Service.Profiles;
using SignalSharp.Service.Transport;
using SignalSharp.Store;
using SignalSharp.ZkGroup.Profiles;

namespace SignalSharp.Account.Sending;

/// <summary>
/// What sending sealed takes besides the message: the account's sender certificate (fetched over the authenticated
/// socket, again before it expires or after the server refused a sealed send), the recipient's access key (from
/// its stored profile key) and the unauthenticated connection, opened on first use and shared by every sealed and multi-recipient send.
/// That socket closes after <see cref="UnauthenticatedIdleClose"/> without a send and opens again for the next one
/// (which then waits for the connect): the server sends nothing on it, and an idle daemon serving many accounts would
/// otherwise hold a second TLS connection per account for good.
/// The certificate names the account's phone number only when the account shares it (Signal's default: nobody
/// sees it), since every recipient of a sealed message reads the certificate.
/// </summary>
internal sealed class SealedAccess(ServerProfile profile, ChatApi api, AccountDatabase db, ILogger logger, bool shareNumber = false, TimeProvider? time = null,
    TimeSpan? idleClose = null)
    : IAsyncDisposable
{
    /// <summary>How long the unauthenticated socket stays open without a send.</summary>
    public static readonly TimeSpan UnauthenticatedIdleClose = TimeSpan.FromSeconds(60);

    /// <summary>A certificate this close to its expiry is replaced before use: recipients must still accept it when the message reaches the server.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromHours(1);

    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private SenderCertificate? senderCertificate;
    private readonly Lock openGate = new();
    private Task<ChatConnection>? opening;
    private ChatConnection? unauthenticated;

    /// <summary>The unauthenticated socket's state (null before the first sealed send) and how often it was opened.</summary>
    public (ChatConnectionState? State, int Connects) Socket => unauthenticated is { } connection ? (connection.State, connection.ConnectCount) : (null, 0);

    /// <summary>Certificates fetched from the server so far.</summary>
    public int CertificateFetches => Volatile.Read(ref certificateFetches);

    private int certificateFetches;

    public async Task<SenderCertificate> CertificateAsync(CancellationToken cancellationToken)
    {
        if (senderCertificate is not { } current || NeedsRefresh(current, clock.GetUtcNow()))
        {
            var bytes = await api.GetSenderCertificateAsync(includeE164: shareNumber, cancellationToken: cancellationToken).ConfigureAwait(false);
            senderCertificate = SenderCertificate.Deserialize(bytes);
            Interlocked.Increment(ref certificateFetches);
        }

        return senderCertificate;
    }

    /// <summary>Whether <paramref name="certificate"/> expires within <see cref="RefreshMargin"/> of <paramref name="now"/>.</summary>
    public static bool NeedsRefresh(SenderCertificate certificate, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return (ulong)(now + RefreshMargin).ToUnixTimeMilliseconds() >= certificate.Expiration;
    }

    /// <summary>The server refused a sealed send (401): the next one fetches a fresh certificate.</summary>
    public void ForgetCertificate() => senderCertificate = null;

    /// <summary>Sealed sender when the recipient's profile key (hence access key) is known; null means send authenticated.</summary>
    public async Task<SealedDelivery?> DeliveryForAsync(Guid recipient, CancellationToken cancellationToken)
    {
        var known = await db.Recipients.GetByAciAsync(recipient, cancellationToken).ConfigureAwait(false);
        if (known?.ProfileKey is not { Length: 32 } profileKey)
        {
            return null;
        }

        var certificate = await CertificateAsync(cancellationToken).ConfigureAwait(false);
        return new SealedDelivery(await UnauthenticatedApiAsync(cancellationToken).ConfigureAwait(false), new ProfileKey(profileKey).DeriveAccessKey(), certificate);
    }

    /// <summary>The unauthenticated socket (sealed 1:1 and multi-recipient sends), opened on first use.</summary>
    public async Task<ChatApi> UnauthenticatedApiAsync(CancellationToken cancellationToken) =>
        new(await OpeningAsync(cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false));

    // One open at a time, shared by whoever needs the socket first; a failed or cancelled one is tried again by the next.
    private Task<ChatConnection> OpeningAsync(CancellationToken cancellationToken)
    {
        lock (openGate)
        {
            if (opening is null || opening.IsFaulted || opening.IsCanceled)
            {
                opening = OpenAsync(cancellationToken);
            }

            return opening;
        }
    }

    private async Task<ChatConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new ChatConnection(profile, options: new ChatConnectionOptions { IdleClose = idleClose ?? UnauthenticatedIdleClose }, logger: logger);
        try
        {
            await connection.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        unauthenticated = connection;
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        Task<ChatConnection>? pending;
        lock (openGate)
        {
            pending = opening;
        }

        if (pending is not null)
        {
            try
            {
                await (await pending.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is Service.ServiceException or OperationCanceledException)
            {
                // It never opened: nothing to close.
            }
        }
    }
}
