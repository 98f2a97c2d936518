using System.Net.Http;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Service.Transport;

/// <summary>
/// Opens a chat or provisioning WebSocket on the first of a profile's chat endpoints that takes it. An endpoint is
/// skipped only when it could not be reached or could not carry a WebSocket the way it was asked to (no answer, TLS or
/// ALPN refused, no extended CONNECT); an HTTP answer from a reachable server (403, 429, ...) is that server's
/// verdict and ends the attempt. The endpoint chosen is logged when it changes, not on every reconnect.
/// </summary>
internal sealed class ChatEndpointConnector(IReadOnlyList<ChatEndpoint> endpoints, HttpMessageInvoker invoker, bool provisioning, string name, ILogger logger)
{
    private int chosen = -1;

    public async Task<WebSocket> ConnectAsync(IReadOnlyList<KeyValuePair<string, string>> headers, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ServiceConnectionException? last = null;
        for (var i = 0; i < endpoints.Count; i++)
        {
            var endpoint = endpoints[i];
            var url = provisioning ? endpoint.ProvisioningWebSocketUrl : endpoint.ChatWebSocketUrl;
            try
            {
                var socket = await WebSocketConnector.ConnectAsync(invoker, url, endpoint.Http, headers, timeout, cancellationToken).ConfigureAwait(false);
                if (Interlocked.Exchange(ref chosen, i) != i)
                {
                    Log.EndpointChosen(logger, name, endpoint.ToString(), i + 1, endpoints.Count);
                }

                return socket;
            }
            catch (ServiceConnectionException e) when ((e.HttpStatus is null or 404 or 421 or 426) && i + 1 < endpoints.Count)
            {
                Log.EndpointSkipped(logger, name, endpoint.ToString(), e.Message);
                last = e;
            }
        }

        throw last ?? new ServiceConnectionException($"{name}: the profile lists no chat endpoint");
    }
}
