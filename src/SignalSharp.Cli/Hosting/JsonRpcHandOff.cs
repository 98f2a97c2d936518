using System.Net.Sockets;
using SignalSharp.Daemon.Server;
using SignalSharp.JsonRpc;
using SignalSharp.JsonRpc.Protocol;

namespace SignalSharp.Cli.Hosting;

/// <summary>Lets the seed protocol's TCP listener hand a connection whose first object is a JSON-RPC request to the JSON-RPC front end.</summary>
internal sealed class JsonRpcHandOff(JsonRpcFrontEnd frontEnd) : IProtocolHandOff
{
    public bool Claims(ReadOnlySpan<byte> firstObject) => JsonRpcRecognizer.IsRequest(firstObject);

    public async Task ServeAsync(Socket socket, ReadOnlyMemory<byte> alreadyRead, CancellationToken stopping)
    {
        var stream = new NetworkStream(socket, ownsSocket: false);
        await using (stream.ConfigureAwait(false))
        {
            await frontEnd.ServeAsync(stream, stream, stopping, alreadyRead, socket: socket).ConfigureAwait(false);
        }
    }
}
