using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace SignalSharp.Interop.Testing;

/// <summary>
/// A running <c>node interop/mock/harness.mjs</c>: Signal's mock server on loopback with a phone and contacts.
/// <see cref="Ready"/> is the harness's ready line (port, URLs, CA path, trust root, zk params, accounts);
/// <see cref="CommandAsync"/> sends one JSON-line command. Disposing stops node and, if it lingers, kills its tree.
/// </summary>
public sealed class MockServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonNode?>> pending = new();
    private readonly SemaphoreSlim writeGate = new(1, 1);
    private readonly TaskCompletionSource<JsonObject> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder stderr = new();
    private readonly Task readLoop;
    private long nextId;
    private int disposed;
    private bool exited;

    private MockServer(Process process)
    {
        this.process = process;
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
        readLoop = Task.Run(ReadLoopAsync);
    }

    public JsonObject Ready { get; private set; } = new();

    public int Port => Ready["port"]!.GetValue<int>();

    public string Origin => Ready["urls"]!["chat"]!.GetValue<string>();

    public string CaCertificatePath => Ready["caCertPath"]!.GetValue<string>();

    public string TrustRoot => Ready["trustRoot"]!.GetValue<string>();

    public JsonObject Phone => Ready["phone"]!.AsObject();

    public JsonObject Contact(string name) =>
        Ready["contacts"]!.AsArray().Select(c => c!.AsObject()).First(c => c["name"]!.GetValue<string>() == name);

    /// <summary>The process id of node, to check that nothing outlives a test.</summary>
    public int ProcessId => process.Id;

    public bool HasExited => Volatile.Read(ref disposed) != 0 ? exited : process.HasExited;

    /// <summary>Events the harness printed besides responses (e.g. uncaught exceptions it survived).</summary>
    public ConcurrentQueue<JsonNode> Events { get; } = new();

    public string StandardErrorText
    {
        get
        {
            lock (stderr)
            {
                return stderr.ToString();
            }
        }
    }

    /// <summary>Installs the pinned packages if needed and starts the harness; returns once it printed its ready line.</summary>
    public static async Task<MockServer> StartAsync(string contacts = "Alice,Bob", CancellationToken cancellationToken = default)
    {
        await InteropPaths.EnsureNodeModulesAsync(cancellationToken).ConfigureAwait(false);
        var psi = new ProcessStartInfo("node")
        {
            WorkingDirectory = InteropPaths.InteropDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine("mock", "harness.mjs"), "--host", "127.0.0.1", "--port", "0", "--contacts", contacts })
        {
            psi.ArgumentList.Add(arg);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start node");
        var server = new MockServer(process);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            server.Ready = await server.ready.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs a harness command; an error in node throws <see cref="MockServerException"/>.</summary>
    public async Task<JsonNode?> CommandAsync(string command, JsonObject? args = null, CancellationToken cancellationToken = default)
    {
        var id = Interlocked.Increment(ref nextId);
        var tcs = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = tcs;
        var request = args?.DeepClone().AsObject() ?? new JsonObject();
        request["id"] = id;
        request["cmd"] = command;
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

        try
        {
            return await tcs.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            pending.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// A server profile in SignalSharp's JSON format (see SignalSharp.Service ServerProfile) for this mock, written to
    /// <paramref name="path"/>. The CA path is relative to the file, as a hand-written profile would have it.
    /// </summary>
    public void WriteServerProfile(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var urls = Ready["urls"]!;
        var profile = new JsonObject
        {
            ["name"] = "mock",
            ["chatUrl"] = urls["chat"]!.GetValue<string>(),
            ["storageUrl"] = urls["storage"]!.GetValue<string>(),
            ["cdnUrls"] = new JsonObject
            {
                ["0"] = urls["cdn0"]!.GetValue<string>(),
                ["2"] = urls["cdn2"]!.GetValue<string>(),
                ["3"] = urls["cdn3"]!.GetValue<string>(),
            },
            ["caCertificatePath"] = Path.GetRelativePath(directory, CaCertificatePath),
            ["trustRoots"] = new JsonArray(TrustRoot),
            ["serverPublicParams"] = Ready["serverPublicParams"]!.GetValue<string>(),
        };
        File.WriteAllText(path, profile.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
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
                catch (System.Text.Json.JsonException)
                {
                    continue;
                }

                if (node is not JsonObject message)
                {
                    continue;
                }

                if (message["event"]?.GetValue<string>() is { } name)
                {
                    if (name == "ready")
                    {
                        ready.TrySetResult(message);
                    }
                    else
                    {
                        Events.Enqueue(message);
                    }

                    continue;
                }

                if (message["id"]?.GetValue<long>() is not { } id || !pending.TryRemove(id, out var tcs))
                {
                    continue;
                }

                if (message["ok"]?.GetValue<bool>() == true)
                {
                    tcs.TrySetResult(message["result"]?.DeepClone());
                }
                else
                {
                    tcs.TrySetException(new MockServerException(message["error"]?.ToString() ?? "unknown error"));
                }
            }
        }
        finally
        {
            var failure = new MockServerException("harness exited: " + StandardErrorText);
            ready.TrySetException(failure);
            foreach (var entry in pending)
            {
                entry.Value.TrySetException(failure);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        try
        {
            // Closing stdin is the harness's signal to close the server and exit.
            process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or IOException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
        finally
        {
            await readLoop.ConfigureAwait(false);
            exited = process.HasExited;
            process.Dispose();
            writeGate.Dispose();
        }
    }
}

/// <summary>The harness answered a command with an error.</summary>
public sealed class MockServerException(string message) : Exception("mock harness: " + message);

/// <summary>xunit fixture: one mock server per test class (or collection), started on first use.</summary>
public sealed class MockServerFixture : IAsyncDisposable, IDisposable
{
    private readonly Lazy<Task<MockServer>> server = new(() => MockServer.StartAsync());

    public Task<MockServer> GetAsync() => server.Value;

    public async ValueTask DisposeAsync()
    {
        if (server.IsValueCreated)
        {
            await (await server.Value.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
