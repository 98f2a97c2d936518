using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using SignalSharp.Account.Api;
using SignalSharp.Cli.Commands;
using SignalSharp.JsonRpc;
using SignalSharp.JsonRpc.Transport;

namespace SignalSharp.Cli.Hosting;

/// <summary>The daemon's JSON-RPC channels beside the seed protocol's TCP listener.</summary>
internal static class JsonRpcChannels
{
    /// <summary>Starts the UNIX socket channel when --socket was given; null otherwise.</summary>
    public static JsonRpcSocketListener? StartSocket(ISignalAccount account, DaemonSettings settings, ILoggerFactory loggerFactory)
    {
        if (settings.SocketPath is not { } requested)
        {
            return null;
        }

        var path = requested.Length == 0 ? UnixSocketPath.Default() : requested;
        var frontEnd = new JsonRpcFrontEnd(account, settings.JsonRpc.ToOptions(settings.Account!), loggerFactory.CreateLogger("SignalSharp.JsonRpc"));
        var listener = new JsonRpcSocketListener(frontEnd, new UnixDomainSocketEndPoint(path), loggerFactory.CreateLogger("SignalSharp.JsonRpc.Socket"));
        listener.Start();
        return listener;
    }
}
