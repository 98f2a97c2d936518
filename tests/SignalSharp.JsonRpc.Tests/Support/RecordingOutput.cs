using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using SignalSharp.JsonRpc.Session;

namespace SignalSharp.JsonRpc.Tests.Support;

/// <summary>A connection's output that keeps every line written, or fails writes while <see cref="Broken"/> is set.</summary>
internal sealed class RecordingOutput : IJsonRpcOutput
{
    private readonly Channel<string> lines = Channel.CreateUnbounded<string>();

    /// <summary>While set, every write throws as a socket whose peer went away does.</summary>
    public volatile bool Broken;

    public int FailedWrites;

    /// <summary>While set, writes succeed but the peer is found to have left before it could read them.</summary>
    public volatile bool LeftUnread;

    public int RefusedReceipts;

    public ValueTask<bool> TakenAsync(CancellationToken cancellationToken)
    {
        if (LeftUnread)
        {
            Interlocked.Increment(ref RefusedReceipts);
        }

        return ValueTask.FromResult(!LeftUnread);
    }

    public Task WriteAsync(ReadOnlyMemory<byte> written, CancellationToken cancellationToken)
    {
        if (Broken)
        {
            Interlocked.Increment(ref FailedWrites);
            throw new IOException("the peer went away");
        }

        var text = Encoding.UTF8.GetString(written.Span);
        Assert.EndsWith("\n", text);
        foreach (var line in text[..^1].Split('\n'))
        {
            lines.Writer.TryWrite(line);
        }

        return Task.CompletedTask;
    }

    public bool TryTake(out string line) => lines.Reader.TryRead(out line!);

    public async Task<string> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await lines.Reader.ReadAsync(timeout.Token);
    }

    public async Task<JsonObject> NextObjectAsync() => JsonNode.Parse(await NextAsync())!.AsObject();
}
