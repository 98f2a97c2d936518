using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace SignalSharp.Service.Profiles;

/// <summary>Which certificates a server's TLS chain must lead to.</summary>
public abstract record TlsTrust
{
    private protected TlsTrust()
    {
    }

    /// <summary>The operating system's trust store, with its default validation.</summary>
    public static TlsTrust System { get; } = new SystemTlsTrust();

    /// <summary>Only chains ending in one of <paramref name="roots"/> (a private CA such as the mock server's).</summary>
    public static TlsTrust FromRoots(X509Certificate2Collection roots) => new CustomRootTlsTrust(roots, AlsoSystemRoots: false);

    /// <summary>
    /// Reads one or more PEM certificates. With <paramref name="alsoSystemRoots"/>, chains the operating system
    /// trusts are accepted too (Signal's production CDNs present publicly trusted certificates).
    /// </summary>
    public static TlsTrust FromPem(string pem, bool alsoSystemRoots = false)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPem(pem);
        if (roots.Count == 0)
        {
            throw new ArgumentException("no certificate in PEM text", nameof(pem));
        }

        return new CustomRootTlsTrust(roots, alsoSystemRoots);
    }

    /// <summary>
    /// The chain policy a TLS handshake builds with when this is a connection's main trust; null: the platform's own
    /// (the operating system's roots). Giving the platform a private root set up front spares it loading the system's
    /// whole store, which costs tens of milliseconds of a daemon's start for nothing when Signal's own CA decides.
    /// </summary>
    public virtual X509ChainPolicy? PlatformChainPolicy() => null;

    /// <summary>
    /// The check behind <see cref="RemoteCertificateValidationCallback"/>. <paramref name="errors"/> is the verdict
    /// under the chain's own policy (<see cref="X509Chain.ChainPolicy"/>), which may be another trust's.
    /// </summary>
    public abstract bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors);

    private protected static bool HostOrCertificateFailed(X509Certificate? certificate, SslPolicyErrors errors) =>
        certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0;

    /// <summary>True when the platform built <paramref name="chain"/> against the operating system's roots.</summary>
    private protected static bool BuiltAgainstSystemRoots(X509Chain? chain) =>
        chain is null || chain.ChainPolicy.TrustMode == X509ChainTrustMode.System;

    /// <summary>Builds the certificate's chain anew under <paramref name="policy"/>, with what the peer sent as extra certificates.</summary>
    private protected static bool BuildsUnder(X509Certificate certificate, X509Chain? sent, Action<X509ChainPolicy> policy)
    {
        using var leaf = new X509Certificate2(certificate);
        using var own = new X509Chain();
        // As the TLS layer's default: no revocation lookups (a private CA has no revocation service), no downloads.
        own.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        own.ChainPolicy.DisableCertificateDownloads = true;
        policy(own.ChainPolicy);
        if (sent is not null)
        {
            foreach (var element in sent.ChainElements)
            {
                own.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return own.Build(leaf);
    }
}

internal sealed record SystemTlsTrust : TlsTrust
{
    public override bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (BuiltAgainstSystemRoots(chain))
        {
            return errors == SslPolicyErrors.None;
        }

        // The connection's main trust is a private CA (a CDN reached through Signal's handler): only the host name part
        // of the platform's verdict holds; the anchor must be one of the system's.
        return !HostOrCertificateFailed(certificate, errors) && BuildsUnder(certificate!, chain, _ => { });
    }
}

internal sealed record CustomRootTlsTrust(X509Certificate2Collection Roots, bool AlsoSystemRoots) : TlsTrust
{
    public override X509ChainPolicy? PlatformChainPolicy()
    {
        if (AlsoSystemRoots)
        {
            return null;
        }

        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.AddRange(Roots);
        return policy;
    }

    public override bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (AlsoSystemRoots && errors == SslPolicyErrors.None && BuiltAgainstSystemRoots(chain))
        {
            return true;
        }

        // The host name check stays with the platform; only the chain's anchor is ours to decide.
        if (HostOrCertificateFailed(certificate, errors))
        {
            return false;
        }

        if (errors == SslPolicyErrors.None && chain is not null && AnchoredInOurRoots(chain.ChainPolicy))
        {
            return true;
        }

        if (BuildsUnder(certificate!, chain, policy =>
            {
                policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                policy.CustomTrustStore.AddRange(Roots);
            }))
        {
            return true;
        }

        return AlsoSystemRoots && !BuiltAgainstSystemRoots(chain) && BuildsUnder(certificate!, chain, _ => { });
    }

    // The platform built with exactly these roots as the only anchors (this trust's PlatformChainPolicy).
    private bool AnchoredInOurRoots(X509ChainPolicy policy) =>
        policy.TrustMode == X509ChainTrustMode.CustomRootTrust
        && policy.CustomTrustStore.Count == Roots.Count
        && policy.CustomTrustStore.All(root => Roots.Contains(root));
}
