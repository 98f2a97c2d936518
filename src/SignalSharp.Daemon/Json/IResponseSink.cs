using System.Buffers;

namespace SignalSharp.Daemon.Json;

/// <summary>Where a connection collects responses; flushed before any wait on the account.</summary>
internal interface IResponseSink
{
    IBufferWriter<byte> Output { get; }

    /// <summary>Writes what was collected; a broken connection surfaces as <see cref="ClientGoneException"/>.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken);
}
