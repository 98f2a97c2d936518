using System.Net.Sockets;
using SignalSharp.Daemon.Commands;

namespace SignalSharp.Daemon.Server;

/// <summary>
/// Watches a client's socket while its command waits on the account (a long <c>receive_messages</c>), and cancels
/// <c>onReset</c> when the client resets the connection: its waiting call then ends without taking items that no
/// one would read. A zero-byte read completes when the socket becomes readable without consuming anything, so the
/// connection's own reading is undisturbed. Readable without a reset means input or the client's end of input: a
/// pipelined command is read after this one, and a half-closed client (<c>echo … | socat</c>) still gets its answer,
/// so in both cases the watch simply ends. Whatever the watch misses, a failing write still catches.
/// </summary>
internal sealed class PeerResetWatch : IResetWatch
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

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
            while (true)
            {
                await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, stop.Token).ConfigureAwait(false);
                if (socket.Available > 0)
                {
                    return;
                }

                // A zero-byte read may also complete while nothing is readable (it can even complete at once, on
                // the connection's own thread); the peek below would then block that thread until the client
                // wrote or hung up. Only a socket that is readable with no bytes is at its end or reset.
                if (socket.Poll(0, SelectMode.SelectRead))
                {
                    if (!IsReset(socket))
                    {
                        return;
                    }

                    break;
                }

                await Task.Delay(PollInterval, stop.Token).ConfigureAwait(false);
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
    /// A readable socket without bytes is either reset or at its end of input; a one-byte peek tells them apart
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
