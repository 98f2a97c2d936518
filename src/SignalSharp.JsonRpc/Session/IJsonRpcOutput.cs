namespace SignalSharp.JsonRpc.Session;

/// <summary>
/// Where a connection's lines go. A write completes once the bytes were handed to the peer's transport, or throws;
/// concurrent writes never interleave.
/// </summary>
public interface IJsonRpcOutput
{
    Task WriteAsync(ReadOnlyMemory<byte> lines, CancellationToken cancellationToken);

    /// <summary>
    /// After a write: false when the peer cannot have read it (it closed or reset the connection, and its kernel
    /// refused the bytes), so received messages it carried go back to the inbox. An output that cannot tell says true.
    /// </summary>
    ValueTask<bool> TakenAsync(CancellationToken cancellationToken) => ValueTask.FromResult(true);
}
