using System.Net;
using System.Net.Http;
using System.Net.WebSockets;

namespace SignalSharp.Service.Transport;

/// <summary>
/// Opens a WebSocket the way Signal's servers (and the mock) accept it: over HTTP/2 extended CONNECT (RFC 8441).
/// The mock has no HTTP/1.1 Upgrade handler at all, so the version is required exactly, never negotiated down.
/// </summary>
internal static class WebSocketConnector
{
    public static async Task<WebSocket> ConnectAsync(
        HttpMessageInvoker invoker,
        Uri url,
        IReadOnlyList<KeyValuePair<string, string>> headers,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.HttpVersion = HttpVersion.Version20;
        socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        // Keepalive is done at the Signal protocol level (GET /v1/keepalive) and by HTTP/2 PINGs.
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        socket.Options.CollectHttpResponseDetails = true;
        foreach (var (name, value) in headers)
        {
            socket.Options.SetRequestHeader(name, value);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(url, invoker, deadline.Token).ConfigureAwait(false);
            return socket;
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException or IOException
                                      or System.Security.Authentication.AuthenticationException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            if (status == HttpStatusCode.Unauthorized)
            {
                throw new ServiceAuthenticationException($"{url.AbsolutePath}: the server refused the credentials (HTTP 401)");
            }

            var reason = e is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0.#} s" : e.Message;
            throw new ServiceConnectionException(
                $"cannot open {url.GetLeftPart(UriPartial.Path)}{(status == 0 ? "" : $" (HTTP {(int)status})")}: {reason}", e);
        }
    }
}
