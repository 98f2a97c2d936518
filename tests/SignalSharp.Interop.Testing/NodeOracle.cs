using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SignalSharp.Interop.Testing;

/// <summary>
/// A running <c>node interop/oracle.mjs</c>: Signal's reference libsignal (pinned in interop/) answering
/// JSON-line requests. Binary values travel as base64. Requests are executed by node one at a time, in order.
/// </summary>
public sealed class NodeOracle : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonNode?>> pending = new();
    private readonly SemaphoreSlim writeGate = new(1, 1);
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder stderr = new();
    private long nextId;

    private NodeOracle(Process process)
    {
        this.process = process;
        _ = Task.Run(ReadLoopAsync);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
    }

    /// <summary>Starts a new oracle process, installing the pinned packages first if needed.</summary>
    public static async Task<NodeOracle> StartAsync(CancellationToken cancellationToken = default)
    {
        await InteropPaths.EnsureNodeModulesAsync(cancellationToken).ConfigureAwait(false);
        var psi = new ProcessStartInfo("node", "oracle.mjs")
        {
            WorkingDirectory = InteropPaths.InteropDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start node");
        var oracle = new NodeOracle(process);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await oracle.ready.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
        return oracle;
    }

    /// <summary>Calls an oracle op and returns its result; an error in node becomes an <see cref="OracleException"/>.</summary>
    public async Task<JsonNode?> CallAsync(string op, JsonObject? args = null, CancellationToken cancellationToken = default)
    {
        var id = Interlocked.Increment(ref nextId);
        var tcs = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = tcs;
        var request = new JsonObject { ["id"] = id, ["op"] = op, ["args"] = args ?? new JsonObject() };
        await writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await process.StandardInput.WriteLineAsync(request.ToJsonString().AsMemory(), cancellationToken).ConfigureAwait(false);
            await process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            writeGate.Release();
        }

        return await tcs.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Calls an op whose result is a base64 string, and decodes it.</summary>
    public async Task<byte[]> CallBytesAsync(string op, JsonObject? args = null, CancellationToken cancellationToken = default)
    {
        var result = await CallAsync(op, args, cancellationToken).ConfigureAwait(false);
        return Convert.FromBase64String(result?.GetValue<string>() ?? throw new OracleException(op, "null result"));
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (await process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                JsonNode? node;
                try
                {
                    node = JsonNode.Parse(line);
                }
                catch (JsonException)
                {
                    continue; // a stray console.log in a handler; not a response
                }

                var id = node?["id"]?.GetValue<long>() ?? -1;
                if (id == 0)
                {
                    ready.TrySetResult();
                    continue;
                }

                if (!pending.TryRemove(id, out var tcs))
                {
                    continue;
                }

                if (node!["ok"]?.GetValue<bool>() == true)
                {
                    tcs.TrySetResult(node["result"]?.DeepClone());
                }
                else
                {
                    tcs.TrySetException(new OracleException(id.ToString(System.Globalization.CultureInfo.InvariantCulture), node["error"]?.ToString() ?? "unknown error"));
                }
            }
        }
        finally
        {
            var failure = new OracleException("oracle", "node exited: " + StandardErrorText);
            ready.TrySetException(failure);
            foreach (var entry in pending)
            {
                entry.Value.TrySetException(failure);
            }
        }
    }

    private string StandardErrorText
    {
        get
        {
            lock (stderr)
            {
                return stderr.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or IOException)
        {
            process.Kill(entireProcessTree: true);
        }
        finally
        {
            process.Dispose();
            writeGate.Dispose();
        }
    }
}

/// <summary>The oracle answered a request with an error (node threw).</summary>
public sealed class OracleException(string op, string message) : Exception($"oracle {op}: {message}")
{
    public string Op { get; } = op;
}

/// <summary>xunit class fixture: one oracle process per test class.</summary>
public sealed class NodeOracleFixture : IAsyncDisposable, IDisposable
{
    private readonly Lazy<Task<NodeOracle>> oracle = new(() => NodeOracle.StartAsync());

    public Task<NodeOracle> GetAsync() => oracle.Value;

    public async ValueTask DisposeAsync()
    {
        if (oracle.IsValueCreated)
        {
            await (await oracle.Value.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
