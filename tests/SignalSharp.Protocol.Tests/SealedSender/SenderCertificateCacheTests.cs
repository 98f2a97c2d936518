using SignalSharp.Crypto;
using SignalSharp.Protocol.SealedSender;

namespace SignalSharp.Protocol.Tests.SealedSender;

public sealed class SenderCertificateCacheTests
{
    [Fact]
    public void A_known_certificate_is_still_refused_once_expired_and_a_bad_one_is_never_remembered()
    {
        var authority = new CertificateAuthority();
        var roots = new[] { authority.Root.PublicKey };
        var now = CertificateAuthority.Now;
        var certificate = authority.Issue(Guid.NewGuid().ToString(), 1, ECKeyPair.Generate().PublicKey, expiration: now + 1000);
        var cache = new SenderCertificateCache();

        Assert.True(cache.Validate(certificate, roots, now));
        Assert.True(cache.Validate(certificate, roots, now + 1000));
        Assert.False(cache.Validate(certificate, roots, now + 1001));

        var stranger = new[] { ECKeyPair.Generate().PublicKey };
        var other = authority.Issue(Guid.NewGuid().ToString(), 1, ECKeyPair.Generate().PublicKey);
        Assert.False(cache.Validate(other, stranger, now));
        Assert.False(cache.Validate(other, stranger, now));
    }
}
