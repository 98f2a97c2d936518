using Microsoft.Extensions.Logging;
using SignalSharp.Protocol.SealedSender;
using SignalSharp.Service.Api;
using SignalSharp.Service.Profiles;
using SignalSharp.Service.Transport;
using SignalSharp.Store;
using SignalSharp.ZkGroup.Profiles;

namespace SignalSharp.Account.Sending;

/// <summary>
/// What sending sealed takes besides the message: the account's sender certificate (fetched once over the
/// authenticated socket), the recipient's access key (from its stored profile key) and the unauthenticated
/// connection, opened on first use and shared by every sealed send.
/// </summary>
internal sealed class SealedAccess(ServerProfile profile, ChatApi api, AccountDatabase db, ILogger logger) : IAsyncDisposable
{
    private SenderCertificate? senderCertificate;
    private ChatConnection? unauthenticated;

    public async Task<SenderCertificate> CertificateAsync(CancellationToken cancellationToken)
    {
        if (senderCertificate is null)
        {
            var bytes = await api.GetSenderCertificateAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            senderCertificate = SenderCertificate.Deserialize(bytes);
        }

        return senderCertificate;
    }

    /// <summary>Sealed sender when the recipient's profile key (hence access key) is known; null means send authenticated.</summary>
    public async Task<SealedDelivery?> DeliveryForAsync(Guid recipient, CancellationToken cancellationToken)
    {
        var known = await db.Recipients.GetByAciAsync(recipient, cancellationToken).ConfigureAwait(false);
        if (known?.ProfileKey is not { Length: 32 } profileKey)
        {
            return null;
        }

        var certificate = await CertificateAsync(cancellationToken).ConfigureAwait(false);
        if (unauthenticated is null)
        {
            var connection = new ChatConnection(profile, logger: logger);
            await connection.StartAsync(cancellationToken).ConfigureAwait(false);
            unauthenticated = connection;
        }

        return new SealedDelivery(new ChatApi(unauthenticated), new ProfileKey(profileKey).DeriveAccessKey(), certificate);
    }

    public async ValueTask DisposeAsync()
    {
        if (unauthenticated is not null)
        {
            await unauthenticated.DisposeAsync().ConfigureAwait(false);
        }
    }
}
