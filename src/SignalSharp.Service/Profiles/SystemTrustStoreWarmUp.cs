using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SignalSharp.Service.Profiles;

/// <summary>
/// Loads the operating system's trust store on another thread ahead of the first TLS handshake. .NET on Linux reads and
/// parses that store (every certificate under /etc/ssl/certs) the first time any handshake builds a chain, even one
/// then judged against a private CA such as Signal's, whatever chain policy it is given; that put about 60-100 ms in
/// front of a daemon's first chat connection. Started while the account's database opens, the load is done or under
/// way (the platform's cache takes a lock, so the handshake waits for it rather than loading twice) when the handshake
/// needs it.
/// </summary>
public static class SystemTrustStoreWarmUp
{
    private static int started;

    /// <summary>Starts the load once per process; later calls do nothing.</summary>
    public static void Start()
    {
        if (Interlocked.Exchange(ref started, 1) != 0)
        {
            return;
        }

        // A thread of its own, not the thread pool's: the load blocks for tens of milliseconds, and a handshake that
        // needs the store meanwhile blocks a second pool thread on the platform's lock. With both of a 2-core machine's
        // pool threads blocked, everything else queued (the daemon's first command, the socket's reads) waited for the
        // pool to add a thread, which it does only every half second or so.
        new Thread(Load) { IsBackground = true, Name = "trust store warm-up" }.Start();
    }

    private static void Load()
    {
        try
        {
            // Any certificate will do: building its chain is what makes the platform load the store.
            using var root = X509Certificate2.CreateFromPem(SignalRootCa.RsaPem);
            using var chain = new X509Chain();
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.DisableCertificateDownloads = true;
            chain.Build(root);
        }
        catch (CryptographicException)
        {
            // Nothing lost: the first handshake loads the store itself.
        }
    }
}
