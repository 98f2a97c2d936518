using System.Net.Sockets;

namespace SignalSharp.Daemon.Json;

/// <summary>Writing to the client failed: the connection is over, so there is no one left to answer.</summary>
internal sealed class ClientGoneException(Exception inner) : Exception("the client connection failed", inner)
{
    public ClientGoneException()
        : this(new SocketException((int)SocketError.ConnectionReset))
    {
    }
}
