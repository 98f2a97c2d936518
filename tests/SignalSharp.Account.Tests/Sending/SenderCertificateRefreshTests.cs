using SignalSharp.Account.Sending;
using SignalSharp.Crypto;
using SignalSharp.Protocol;
using SignalSharp.Protocol.SealedSender;

namespace SignalSharp.Account.Tests.Sending;

/// <summary>The account's own sender certificate is replaced before it expires, not used until recipients reject it.</summary>
public sealed class SenderCertificateRefreshTests
{
    private static SenderCertificate ExpiringAt(DateTimeOffset expiry)
    {
        var root = ECKeyPair.Generate();
        var serverKey = ECKeyPair.Generate();
        var server = ServerCertificate.Create(1, serverKey.PublicKey, root.PrivateKey);
        return SenderCertificate.Create(Guid.NewGuid().ToString(), null, 2, IdentityKeyPair.Generate().PublicKey, (ulong)expiry.ToUnixTimeMilliseconds(),
            server, serverKey.PrivateKey);
    }

    [Fact]
    public void A_certificate_is_refreshed_within_the_margin_before_its_expiry_and_kept_before()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.False(SealedAccess.NeedsRefresh(ExpiringAt(now.AddDays(1)), now));
        Assert.False(SealedAccess.NeedsRefresh(ExpiringAt(now + SealedAccess.RefreshMargin + TimeSpan.FromMinutes(1)), now));
        Assert.True(SealedAccess.NeedsRefresh(ExpiringAt(now + SealedAccess.RefreshMargin - TimeSpan.FromMinutes(1)), now));
        Assert.True(SealedAccess.NeedsRefresh(ExpiringAt(now.AddMinutes(-5)), now));
    }
}
