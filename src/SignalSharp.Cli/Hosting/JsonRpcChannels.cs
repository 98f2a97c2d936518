using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using SignalSharp.Account.Api;
using SignalSharp.Cli.Commands;
using SignalSharp.Daemon.Server;
using SignalSharp.JsonRpc;
using SignalSharp.JsonRpc.Transport;

namespace SignalSharp.Cli.Hosting;

/// <summary>
/// The daemon's JSON-RPC channels: one front end (so subscription ids are shared as in signal-cli) behind the TCP
/// listener's hand-off, the UNIX socket and HTTP.
/// </summary>
internal sealed class JsonRpcChannels : IAsyncDisposable
{
    private readonly ILoggerFactory loggerFactory;
    private JsonRpcSocketListener? socketListener;

    public JsonRpcChannels(ISignalAccount account, string number, JsonRpcSettings settings, ILoggerFactory loggerFactory)
    {
        this.loggerFactory = loggerFactory;
        FrontEnd = new JsonRpcFrontEnd(account, settings.ToOptions(number), loggerFactory.CreateLogger("SignalSharp.JsonRpc"));
        TcpHandOff = new JsonRpcHandOff(FrontEnd);
    }

    public JsonRpcFrontEnd FrontEnd { get; }

    /// <summary>For the TCP listener: a connection whose first object is a JSON-RPC request speaks JSON-RPC.</summary>
    public IProtocolHandOff TcpHandOff { get; }

    /// <summary>Starts the UNIX socket channel (an empty path: the default one).</summary>
    public void StartSocket(string requestedPath)
    {
        var path = requestedPath.Length == 0 ? UnixSocketPath.Default() : requestedPath;
        var listener = new JsonRpcSocketListener(FrontEnd, new UnixDomainSocketEndPoint(path), loggerFactory.CreateLogger("SignalSharp.JsonRpc.Socket"));
        listener.Start();
        socketListener = listener;
    }

    public async ValueTask DisposeAsync()
    {
        if (socketListener is not null)
        {
            await socketListener.DisposeAsync().ConfigureAwait(false);
        }
    }
}
