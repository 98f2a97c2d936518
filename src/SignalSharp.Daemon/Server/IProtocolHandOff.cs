using System.Net.Sockets;

namespace SignalSharp.Daemon.Server;

/// <summary>
/// A second protocol on the daemon's TCP listener. A connection belongs to it when its first input is a batch (a
/// top-level '[', which the seed protocol never accepts) or when it claims the first complete object; every other
/// connection speaks the seed protocol, unchanged.
/// </summary>
public interface IProtocolHandOff
{
    /// <summary>Whether <paramref name="firstObject"/> (one complete, structurally balanced object) is this protocol's.</summary>
    bool Claims(ReadOnlySpan<byte> firstObject);

    /// <summary>
    /// Serves the connection from here on: <paramref name="alreadyRead"/> is what the daemon read so far, starting at
    /// the claimed object. The socket is closed by the daemon after this returns.
    /// </summary>
    Task ServeAsync(Socket socket, ReadOnlyMemory<byte> alreadyRead, CancellationToken stopping);
}
