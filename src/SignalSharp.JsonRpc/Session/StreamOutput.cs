using System.Net.Sockets;
using SignalSharp.Service.Transport;

namespace SignalSharp.JsonRpc.Session;

/// <summary>
/// Writes whole lines to a stream, one writer at a time, flushing each. Over a <paramref name="socket"/>, whether the
/// peer can have taken them is asked of the socket (a write into a connection the peer already closed succeeds here).
/// </summary>
public sealed class StreamOutput(Stream stream, Socket? socket = null) : IJsonRpcOutput, IDisposable
{
    private static readonly TimeSpan TakeWait = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim gate = new(1, 1);

    public async Task WriteAsync(ReadOnlyMemory<byte> lines, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await stream.WriteAsync(lines, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    public ValueTask<bool> TakenAsync(CancellationToken cancellationToken) =>
        socket is null ? ValueTask.FromResult(true) : PeerReceipt.AnswerTakenAsync(socket, TakeWait, cancellationToken);

    public void Dispose() => gate.Dispose();
}
