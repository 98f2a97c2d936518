using Microsoft.Extensions.Logging;

namespace SignalSharp.Service.Transport;

/// <summary>
/// Opens one chat socket for a <see cref="ChatConnection"/> and, for an authenticated one, proves the login with a
/// round trip (<c>GET /v1/keepalive</c>); says which ways a socket can end that reconnecting cannot fix.
/// </summary>
internal sealed class ChatSocketOpener(
    Func<CancellationToken, Task<System.Net.WebSockets.WebSocket>> connect,
    Uri url,
    bool authenticated,
    bool mockQuirks,
    ChatConnectionOptions options,
    string name,
    ILogger logger,
    Action<IncomingRequest> onServerRequest)
{
    public const int SilentClosesMeaningRejected = 3;
    private const int CloseAuthenticationFailed = 3000;
    private const int CloseReauthenticate = 4401;
    private const int CloseReplaced = 4409;
    private int connects;

    public int ConnectCount => Volatile.Read(ref connects);

    /// <summary>The profile asked for the mock's heuristics (close code 3000, silent closes meaning bad credentials).</summary>
    public bool MockQuirks => mockQuirks;

    public async Task<WebSocketConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var socket = await connect(cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref connects);
        Log.Connected(logger, name, url);
        LogAlerts(socket);
        return new WebSocketConnection(socket, name, logger, onServerRequest);
    }

    /// <summary>Production names account conditions (e.g. <c>idle-primary-device</c>) in X-Signal-Alert on the upgrade answer.</summary>
    private void LogAlerts(System.Net.WebSockets.WebSocket socket)
    {
        if (socket is System.Net.WebSockets.ClientWebSocket { HttpResponseHeaders: { } headers }
            && headers.TryGetValue("X-Signal-Alert", out var alerts))
        {
            foreach (var alert in alerts.SelectMany(a => a.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
            {
                Log.ServerAlert(logger, name, alert);
            }
        }
    }

    // The mock answers a bad password with CONNECT 200 and then a close with 3000, so a round trip tells which it
    // was; it also resets the HTTP/2 stream right behind that close frame (its `ws` socket is built without a close
    // timeout), and .NET, which drops buffered data on a reset, then loses the frame. Production
    // may close with 1000 right after connecting (its presence race). Either way the socket died before answering.
    public async Task<WebSocketConnection> OpenCheckedAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        if (!authenticated)
        {
            return connection;
        }

        try
        {
            await connection.SendRequestAsync(WebSocketRequest.Get("/v1/keepalive"), options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (ServiceConnectionException)
        {
            var closed = await connection.Completion.ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
            throw TerminalFailure(closed) ?? new SilentCloseException($"{name}: the socket closed right after connecting ({closed})");
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>What a socket that closed right after connecting, <paramref name="times"/> in a row, means.</summary>
    public ServiceException AfterSilentCloses(int times) => mockQuirks
        ? new ServiceAuthenticationException($"{name}: the server closed the authenticated socket right after connecting, {times} times in a row; the credentials are most likely wrong")
        : new ServiceConnectionException($"{name}: the server closed the socket right after connecting, {times} times in a row");

    public ServiceException? TerminalFailure(WebSocketCloseInfo closed) => closed.Code switch
    {
        CloseAuthenticationFailed when mockQuirks => new ServiceAuthenticationException($"{name}: the server rejected the credentials (close code 3000)"),
        CloseReplaced => new ConnectionReplacedException(),
        _ => null,
    };

    /// <summary>4401: the server wants the device to log in again (unlinked or re-registered); a 403 usually follows.</summary>
    public static bool AsksToReauthenticate(WebSocketCloseInfo closed) => closed.Code == CloseReauthenticate;

    /// <summary>Failures after which no reconnect can succeed.</summary>
    public static bool IsTerminal(Exception e) =>
        e is ServiceAuthenticationException or ConnectionReplacedException or DeviceDeregisteredException or ClientRejectedException;
}

/// <summary>An authenticated socket closed before answering anything.</summary>
internal sealed class SilentCloseException(string message) : ServiceException(message);
