using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using SignalSharp.Account.Api;
using SignalSharp.Cli.Commands;
using SignalSharp.Daemon.Server;
using SignalSharp.JsonRpc;
using SignalSharp.JsonRpc.Transport;
using SignalSharp.JsonRpc.Transport.Http;

namespace SignalSharp.Cli.Hosting;

/// <summary>
/// The daemon's JSON-RPC channels: one front end (so subscription ids are shared as in signal-cli) behind the TCP
/// listener's hand-off, the UNIX socket and HTTP.
/// </summary>
internal sealed class JsonRpcChannels : IAsyncDisposable
{
    private readonly ILoggerFactory loggerFactory;
    private readonly Lock gate = new();
    private readonly List<JsonRpcSocketListener> socketListeners = [];
    private JsonRpcHttpServer? httpServer;
    private bool disposed;

    public JsonRpcChannels(ISignalAccount account, string number, string configDirectory, JsonRpcSettings settings, ILoggerFactory loggerFactory)
        : this(new JsonRpcFrontEnd(account, settings.ToOptions(number, configDirectory), loggerFactory.CreateLogger("SignalSharp.JsonRpc")), loggerFactory)
    {
    }

    /// <summary>Channels in front of <paramref name="frontEnd"/> (a multi-account one, say).</summary>
    public JsonRpcChannels(JsonRpcFrontEnd frontEnd, ILoggerFactory loggerFactory)
    {
        this.loggerFactory = loggerFactory;
        FrontEnd = frontEnd;
        TcpHandOff = new JsonRpcHandOff(FrontEnd);
    }

    public JsonRpcFrontEnd FrontEnd { get; }

    /// <summary>For the TCP listener: a connection whose first object is a JSON-RPC request speaks JSON-RPC.</summary>
    public IProtocolHandOff TcpHandOff { get; }

    /// <summary>Starts the UNIX socket channel (an empty path: the default one).</summary>
    public void StartSocket(string requestedPath) =>
        Start(new JsonRpcSocketListener(FrontEnd, new UnixDomainSocketEndPoint(requestedPath.Length == 0 ? UnixSocketPath.Default() : requestedPath),
            loggerFactory.CreateLogger("SignalSharp.JsonRpc.Socket")));

    /// <summary>Starts a TCP listener that speaks JSON-RPC only (multi-account mode: the seed's commands name no account).</summary>
    public EndPoint StartTcp(IPEndPoint endPoint)
    {
        var listener = new JsonRpcSocketListener(FrontEnd, endPoint, loggerFactory.CreateLogger("SignalSharp.JsonRpc.Socket"));
        Start(listener);
        return listener.LocalEndPoint!;
    }

    /// <summary>Serves a listening UNIX socket the service manager handed over.</summary>
    public void StartSocket(Socket listening) =>
        Start(new JsonRpcSocketListener(FrontEnd, listening, loggerFactory.CreateLogger("SignalSharp.JsonRpc.Socket")));

    /// <summary>Starts the socket one-shot commands find the daemon by (never subscribed unasked).</summary>
    public void StartControlSocket(string path) =>
        Start(new JsonRpcSocketListener(FrontEnd, new UnixDomainSocketEndPoint(path), loggerFactory.CreateLogger("SignalSharp.JsonRpc.Socket"))
        {
            AutoSubscribe = false,
            // Its path names the account's number, which logs never carry.
            LogName = "the control socket for one-shot commands",
        });

    /// <summary>Starts and keeps <paramref name="listener"/>; a multi-account daemon starts control sockets while it serves.</summary>
    private void Start(JsonRpcSocketListener listener)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            listener.Start();
            socketListeners.Add(listener);
        }
    }

    /// <summary>
    /// Starts the HTTP channel; <paramref name="hostText"/> is the host as the user wrote it (for the Host-header
    /// check); with <paramref name="token"/>, requests must carry it as a Bearer token.
    /// </summary>
    public async Task StartHttpAsync(IPEndPoint endPoint, string hostText, AuthToken? token, CancellationToken cancellationToken)
    {
        var server = new JsonRpcHttpServer(FrontEnd, endPoint, hostText, loggerFactory.CreateLogger("SignalSharp.JsonRpc.Http"))
        {
            Authentication = token is null ? null : new BearerTokenCheck(token.Matches),
        };
        try
        {
            await server.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        httpServer = server;
    }

    public async ValueTask DisposeAsync()
    {
        if (httpServer is not null)
        {
            await httpServer.DisposeAsync().ConfigureAwait(false);
        }

        JsonRpcSocketListener[] listeners;
        lock (gate)
        {
            disposed = true;
            listeners = [.. socketListeners];
        }

        foreach (var listener in listeners)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
    }
}
