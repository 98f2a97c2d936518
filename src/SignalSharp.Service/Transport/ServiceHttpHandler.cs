using System.Net;
using System.Net.Http;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Service.Transport;

/// <summary>The one place that turns a profile's TLS trust into an HTTP/2-capable handler.</summary>
internal static class ServiceHttpHandler
{
    /// <summary>
    /// How long a connection without a request (or WebSocket) on it stays open. Requests to the storage service, the
    /// group server and the CDNs come in bursts (a storage sync, a group change, an attachment) with minutes or hours
    /// between them, and a TLS connection held open costs native memory (OpenSSL's state and buffers) that a daemon
    /// serving many accounts pays once per account: .NET's default of a minute would keep each account's
    /// start-up storage sync connection open long after it is done. A burst's requests still share one connection.
    /// </summary>
    public static readonly TimeSpan IdleConnectionTimeout = TimeSpan.FromSeconds(10);

    public static SocketsHttpHandler Create(ServerProfile profile) =>
        new()
        {
            // Each host is held to its own trust: Signal's roots for chat and storage, public roots for CDNs.
            SslOptions =
            {
                RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
                    TrustFor(profile, sender).Validate(certificate, chain, errors),
            },
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = IdleConnectionTimeout,
            // HTTP/2 PINGs notice a dead connection even while the WebSocket above it is idle.
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(15),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            ConnectTimeout = TimeSpan.FromSeconds(15),
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        };

    // The handler calls back with the SslStream (its target host is the request's host).
    private static TlsTrust TrustFor(ServerProfile profile, object? sender) => sender switch
    {
        System.Net.Security.SslStream { TargetHostName: { Length: > 0 } host } => profile.TrustFor(host),
        HttpRequestMessage { RequestUri: { } uri } => profile.TrustFor(uri.Host),
        _ => profile.Trust,
    };
}
