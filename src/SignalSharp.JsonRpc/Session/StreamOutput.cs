namespace SignalSharp.JsonRpc.Session;

/// <summary>Writes whole lines to a stream, one writer at a time, flushing each.</summary>
public sealed class StreamOutput(Stream stream) : IJsonRpcOutput, IDisposable
{
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

    public void Dispose() => gate.Dispose();
}
