using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Dispatch;
using SignalSharp.JsonRpc.Methods;
using SignalSharp.JsonRpc.Session;

namespace SignalSharp.JsonRpc;

/// <summary>
/// signal-cli's JSON-RPC in front of one account: the method table, the subscription ids shared by all of its
/// connections (numbered from 0 as in signal-cli), and connections for any transport.
/// </summary>
public sealed class JsonRpcFrontEnd
{
    private int nextSubscriptionId = -1;

    public JsonRpcFrontEnd(ISignalAccount account, JsonRpcOptions options, ILogger? logger = null)
    {
        Account = account;
        Options = options;
        Dispatcher = new JsonRpcDispatcher(MethodTable.Create(account, options), logger ?? NullLogger.Instance);
    }

    public ISignalAccount Account { get; }

    public JsonRpcOptions Options { get; }

    public JsonRpcDispatcher Dispatcher { get; }

    public JsonRpcConnection CreateConnection(IJsonRpcOutput output) => new(this, output);

    /// <summary>A connection for one HTTP request: its answer goes to <paramref name="output"/>; no subscriptions.</summary>
    public JsonRpcConnection CreateRequestConnection(IJsonRpcOutput output) => new(this, output, streaming: false);

    /// <summary>
    /// Serves one client on a pair of streams (stdio, a TCP or UNIX socket) until its input ends;
    /// <paramref name="alreadyRead"/> is input that was read from <paramref name="input"/> before (to recognise the protocol).
    /// </summary>
    public async Task ServeAsync(Stream input, Stream output, CancellationToken cancellationToken, ReadOnlyMemory<byte> alreadyRead = default,
        bool autoSubscribe = true)
    {
        using var writer = new StreamOutput(output);
        var connection = new JsonRpcConnection(this, writer, streaming: true, autoSubscribe);
        await using (connection.ConfigureAwait(false))
        {
            await connection.RunAsync(input, cancellationToken, alreadyRead).ConfigureAwait(false);
        }
    }

    internal int NextSubscriptionId() => Interlocked.Increment(ref nextSubscriptionId);
}
