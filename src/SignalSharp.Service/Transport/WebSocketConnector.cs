using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.WebSockets;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Service.Transport;

/// <summary>
/// Opens one WebSocket on one endpoint, by HTTP/2 extended CONNECT (RFC 8441), HTTP/1.1 Upgrade, or whichever the
/// connection supports (.NET tries HTTP/2 and downgrades when ALPN or the server's SETTINGS refuse extended
/// CONNECT). The upgrade's HTTP status becomes a typed failure: 401 bad credentials, 403 a device the server no longer knows, 499 a
/// client it refuses, 429/503 a wait of <c>Retry-After</c>.
/// </summary>
internal static class WebSocketConnector
{
    public static async Task<WebSocket> ConnectAsync(
        HttpMessageInvoker invoker,
        Uri url,
        ChatHttpVersion http,
        IReadOnlyList<KeyValuePair<string, string>> headers,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        (socket.Options.HttpVersion, socket.Options.HttpVersionPolicy) = http switch
        {
            ChatHttpVersion.Http2 => (HttpVersion.Version20, HttpVersionPolicy.RequestVersionExact),
            ChatHttpVersion.Http11 => (HttpVersion.Version11, HttpVersionPolicy.RequestVersionExact),
            _ => (HttpVersion.Version20, HttpVersionPolicy.RequestVersionOrLower),
        };
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
            var status = (int)socket.HttpStatusCode;
            var retryAfter = RetryAfter(socket.HttpResponseHeaders);
            socket.Dispose();
            var where = url.GetLeftPart(UriPartial.Path);
            switch (status)
            {
                case 401:
                    throw new ServiceAuthenticationException($"{where}: the server refused the credentials (HTTP 401)");
                case 403:
                    throw new DeviceDeregisteredException(
                        $"{where}: the server does not accept this device's credentials (HTTP 403); it was unlinked or its password changed: link it again");
                case 499:
                    throw new ClientRejectedException(
                        $"{where}: the server refuses this client (HTTP 499: version expired or a required capability missing)");
            }

            var reason = e is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0.#} s" : e.Message;
            throw new ServiceConnectionException($"cannot open {where}{(status == 0 ? "" : $" (HTTP {status})")}: {reason}", e)
            {
                HttpStatus = status == 0 ? null : status,
                RetryAfter = status is 429 or 503 ? retryAfter : null,
            };
        }
    }

    // Retry-After is either delay-seconds or an HTTP date.
    private static TimeSpan? RetryAfter(IReadOnlyDictionary<string, IEnumerable<string>>? headers)
    {
        if (headers is null)
        {
            return null;
        }

        var value = headers.FirstOrDefault(h => string.Equals(h.Key, "Retry-After", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
        if (value is null)
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when)
            ? TimeSpan.FromTicks(Math.Max(0, (when - DateTimeOffset.UtcNow).Ticks))
            : null;
    }
}
