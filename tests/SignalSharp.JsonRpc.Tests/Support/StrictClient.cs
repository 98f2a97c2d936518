using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace SignalSharp.JsonRpc.Tests.Support;

/// <summary>
/// A client with the wire behaviour of signal-cli's own Rust client (jsonrpsee): numeric ids from 0, optional
/// params sent as null, answers matched by id, subscriptions as {subscription, result} notifications, and every
/// incoming line checked strictly (jsonrpc "2.0", exactly one of result and error, ids it sent).
/// </summary>
internal sealed class StrictClient : IAsyncDisposable
{
    private readonly Stream stream;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonObject>> pending = new();
    private readonly Channel<JsonObject> notifications = Channel.CreateUnbounded<JsonObject>();
    private readonly SemaphoreSlim writeGate = new(1, 1);
    private readonly Task reader;
    private long nextId = -1;

    public StrictClient(Stream stream)
    {
        this.stream = stream;
        reader = Task.Run(ReadAsync);
    }

    /// <summary>Calls a method; returns its result, or throws <see cref="RpcError"/> with the error object.</summary>
    public async Task<JsonNode?> CallAsync(string method, JsonObject? parameters = null)
    {
        var id = Interlocked.Increment(ref nextId);
        var answer = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = answer;
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject { ["account"] = null } };
        await WriteLineAsync(request.ToJsonString());
        var response = await answer.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return response.TryGetPropertyValue("error", out var error) ? throw new RpcError(error!.AsObject()) : response["result"];
    }

    /// <summary>subscribeReceive, then the subscription's notifications' results.</summary>
    public async Task<int> SubscribeAsync() => (int)(await CallAsync("subscribeReceive", new JsonObject { ["account"] = null }))!;

    public async Task UnsubscribeAsync(int subscription) => await CallAsync("unsubscribeReceive", new JsonObject { ["subscription"] = subscription });

    /// <summary>The next receive notification of <paramref name="subscription"/>: its result object.</summary>
    public async Task<JsonObject> NextReceiveAsync(int subscription)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var notification = await notifications.Reader.ReadAsync(timeout.Token);
        var parameters = notification["params"]!.AsObject();
        Assert.Equal(subscription, (int)parameters["subscription"]!);
        return parameters["result"]!.AsObject();
    }

    /// <summary>The next notification of the automatic (on-start) subscription: its params, the payload itself.</summary>
    public async Task<JsonObject> NextAutomaticReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var notification = await notifications.Reader.ReadAsync(timeout.Token);
        var parameters = notification["params"]!.AsObject();
        Assert.False(parameters.ContainsKey("subscription"), "an automatic subscription's notification carries the payload as params");
        return parameters;
    }

    public async ValueTask DisposeAsync()
    {
        await stream.DisposeAsync();
        try
        {
            await reader;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
        }

        writeGate.Dispose();
    }

    private async Task WriteLineAsync(string line)
    {
        await writeGate.WaitAsync();
        try
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));
            await stream.FlushAsync();
        }
        finally
        {
            writeGate.Release();
        }
    }

    private async Task ReadAsync()
    {
        using var lines = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
        while (await lines.ReadLineAsync() is { } line)
        {
            var message = JsonNode.Parse(line)!.AsObject();
            Assert.Equal("2.0", (string)message["jsonrpc"]!);
            if (message.ContainsKey("method"))
            {
                Assert.False(message.ContainsKey("id"), "a notification carries no id");
                Assert.Equal("receive", (string)message["method"]!);
                notifications.Writer.TryWrite(message);
                continue;
            }

            Assert.True(message.ContainsKey("result") ^ message.ContainsKey("error"), "exactly one of result and error: " + line);
            var id = (long)message["id"]!;
            Assert.True(pending.TryRemove(id, out var answer), "an answer to an id that was sent and not yet answered: " + line);
            answer.SetResult(message);
        }
    }
}

internal sealed class RpcError(JsonObject error) : Exception((string?)error["message"])
{
    public int Code { get; } = (int)error["code"]!;
}
