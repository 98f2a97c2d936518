namespace SignalSharp.JsonRpc.Session;

/// <summary>
/// Where a connection's lines go. A write completes once the bytes were handed to the peer's transport, or throws;
/// concurrent writes never interleave.
/// </summary>
public interface IJsonRpcOutput
{
    Task WriteAsync(ReadOnlyMemory<byte> lines, CancellationToken cancellationToken);
}
