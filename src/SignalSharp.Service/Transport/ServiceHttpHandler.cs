using System.Net;
using System.Net.Http;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Service.Transport;

/// <summary>The one place that turns a profile's TLS trust into an HTTP/2-capable handler.</summary>
internal static class ServiceHttpHandler
{
    public static SocketsHttpHandler Create(ServerProfile profile) =>
        new()
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, chain, errors) => profile.Trust.Validate(certificate, chain, errors) },
            EnableMultipleHttp2Connections = true,
            // HTTP/2 PINGs notice a dead connection even while the WebSocket above it is idle.
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(15),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            ConnectTimeout = TimeSpan.FromSeconds(15),
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        };
}
