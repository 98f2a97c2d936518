using System.Net.Sockets;

namespace SignalSharp.Daemon.Server;

/// <summary>
/// Watches a client's socket while its command waits on the account (a long <c>receive_messages</c>), and cancels
/// <c>onReset</c> when the client resets the connection: its waiting call then ends without taking items that no
/// one would read. A zero-byte read completes when the socket becomes readable without consuming anything, so the
/// connection's own reading is undisturbed. Readable without a reset means input or the client's end of input: a
/// pipelined command is read after this one, and a half-closed client (<c>echo … | socat</c>) still gets its answer,
/// so in both cases the watch simply ends. Whatever the watch misses, a failing write still catches.
/// </summary>
internal sealed class PeerResetWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task watching;
    private int resetSeen;

    public PeerResetWatch(Socket socket, CancellationTokenSource onReset)
    {
        watching = WatchAsync(socket, onReset);
    }

    /// <summary>The client reset the connection (or the socket failed otherwise) while the command waited.</summary>
    public bool ResetSeen => Volatile.Read(ref resetSeen) != 0;

    private async Task WatchAsync(Socket socket, CancellationTokenSource onReset)
    {
        try
        {
            await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, stop.Token).ConfigureAwait(false);
            if (socket.Available > 0 || !IsReset(socket))
            {
                return;
            }
        }
        catch (SocketException)
        {
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            return;
        }

        Volatile.Write(ref resetSeen, 1);
        try
        {
            await onReset.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>
    /// A zero-byte read completes alike for a reset and for an end of input; a one-byte peek tells them apart
    /// (it fails on a reset, returns 0 at the end of input) without blocking, since the socket is readable.
    /// </summary>
    private static bool IsReset(Socket socket)
    {
        Span<byte> probe = stackalloc byte[1];
        try
        {
            socket.Receive(probe, SocketFlags.Peek);
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    /// <summary>Ends the watch; the socket's next read belongs to the connection again.</summary>
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        await watching.ConfigureAwait(false);
        stop.Dispose();
    }
}
