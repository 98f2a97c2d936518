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

    /// <summary>The check behind <see cref="RemoteCertificateValidationCallback"/>.</summary>
    public abstract bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors);
}

internal sealed record SystemTlsTrust : TlsTrust
{
    public override bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        errors == SslPolicyErrors.None;
}

internal sealed record CustomRootTlsTrust(X509Certificate2Collection Roots, bool AlsoSystemRoots) : TlsTrust
{
    public override bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (AlsoSystemRoots && errors == SslPolicyErrors.None)
        {
            return true;
        }

        // The host name check stays with the platform; only the chain's anchor is ours to decide.
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var leaf = new X509Certificate2(certificate);
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(Roots);
        // The mock's leaf names an OCSP responder on a host that does not exist; a private CA has no revocation service.
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return custom.Build(leaf);
    }
}
