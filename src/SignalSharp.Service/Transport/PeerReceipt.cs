using System.Buffers.Binary;
using System.Net.Sockets;

namespace SignalSharp.Service.Transport;

/// <summary>
/// Whether a flushed answer can have reached a client of one of the daemon's listeners whose end of input it has seen. A written answer only
/// sits in our kernel's send queue; a client that closed its socket (FIN) never reads it, and its kernel answers
/// the bytes with a reset. A half-closed client (<c>echo … | socat</c>) still reads, and its kernel acknowledges the
/// bytes. So while the client's input is still open, the answer counts as taken as before; once it ended, only the
/// peer kernel's acknowledgement of every byte sent (TCP_INFO on Linux, whose state also tells an ended input from
/// an open one) counts, and a reset or no acknowledgement within the wait means the answer was not taken. Elsewhere,
/// without TCP_INFO, a peek and a short wait for a reset decide.
/// </summary>
public static class PeerReceipt
{
    private const int IpProtoTcp = 6;
    private const int TcpInfo = 11;
    private const byte StateEstablished = 1;
    private const byte StateCloseWait = 8;
    private const int UnackedOffset = 24;
    private const int NotSentOffset = 144;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan ResetGrace = TimeSpan.FromMilliseconds(200);

    /// <summary>False when the client cannot have read what was flushed to it: gone, or input ended and bytes not acknowledged.</summary>
    public static async ValueTask<bool> AnswerTakenAsync(Socket socket, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (socket.AddressFamily == AddressFamily.Unix)
        {
            // No acknowledgement to wait for on one machine: a write to a peer that closed fails itself, and one that
            // only ended its input still reads.
            return true;
        }

        if (!OperatingSystem.IsLinux())
        {
            switch (InputState(socket))
            {
                case Input.Open:
                    return true;
                case Input.Reset:
                    return false;
            }

            await Task.Delay(ResetGrace, cancellationToken).ConfigureAwait(false);
            return InputState(socket) != Input.Reset;
        }

        var deadline = DateTime.UtcNow + wait;
        var info = new byte[NotSentOffset + sizeof(uint)];
        while (true)
        {
            int length;
            try
            {
                length = socket.GetRawSocketOption(IpProtoTcp, TcpInfo, info);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return false;
            }

            if (info[0] == StateEstablished)
            {
                // The client's input is open (the kernel state says so without a read, which another reader of the
                // socket could race): what was flushed counts as taken.
                return true;
            }

            if (info[0] != StateCloseWait)
            {
                // Reset (or closed otherwise): the kernel dropped what the client never took.
                return false;
            }

            var unacked = BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(UnackedOffset));
            var notSent = length >= info.Length ? BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(NotSentOffset)) : 0;
            if (unacked == 0 && notSent == 0)
            {
                return true;
            }

            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private enum Input
    {
        Open,
        Ended,
        Reset,
    }

    /// <summary>
    /// Without blocking: bytes waiting or nothing readable means open; readable with nothing to read is the end of
    /// input or a reset, which a one-byte peek tells apart (0 at the end, an error on a reset).
    /// </summary>
    private static Input InputState(Socket socket)
    {
        try
        {
            if (socket.Available > 0 || !socket.Poll(0, SelectMode.SelectRead))
            {
                return Input.Open;
            }

            Span<byte> probe = stackalloc byte[1];
            return socket.Receive(probe, SocketFlags.Peek) == 0 ? Input.Ended : Input.Open;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return Input.Reset;
        }
    }
}
