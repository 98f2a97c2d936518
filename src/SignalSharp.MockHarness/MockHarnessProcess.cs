using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SignalSharp.MockHarness;

/// <summary>
/// A running <c>node interop/mock/harness.mjs</c>: Signal's mock server on loopback with a phone and contacts. The
/// harness prints one JSON line of ready facts (<see cref="Ready"/>), then serves JSON-line commands on stdin, each
/// answered by a line with the same id. Closing stdin stops it; disposing kills its tree if it lingers.
/// </summary>
public sealed class MockHarnessProcess : IAsyncDisposable
{
    // Enough of node's log to explain a crash, without growing for the hours `signal-sharp local` may run.
    private const int StandardErrorTailChars = 64 * 1024;

    private readonly Process process;
    private readonly ConcurrentDictionary<long, PendingCommand> pending = new();
    private readonly TaskCompletionSource<JsonObject> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim writeGate = new(1, 1);
    private readonly StringBuilder stderr = new();
    private readonly Task stdoutLoop;
    private readonly Task stderrLoop;
    private long nextId;
    private int disposed;
    private bool exitedAtDispose;

    private MockHarnessProcess(Process process)
    {
        this.process = process;
        stderrLoop = Task.Run(ReadStandardErrorAsync);
        stdoutLoop = Task.Run(ReadStandardOutputAsync);
    }

    /// <summary>The harness's ready line: port, URLs, CA path, trust root, zk params, phone and contacts.</summary>
    public JsonObject Ready { get; private set; } = new();

    /// <summary>The process id of node, to check that nothing outlives its user.</summary>
    public int ProcessId => process.Id;

    public bool HasExited => Volatile.Read(ref disposed) != 0 ? exitedAtDispose : process.HasExited;

    /// <summary>Events the harness printed besides responses and the ready line (e.g. uncaught exceptions it survived).</summary>
    public ConcurrentQueue<JsonNode> Events { get; } = new();

    /// <summary>The tail of node's log.</summary>
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

    /// <summary>
    /// Starts the harness in <paramref name="interopDirectory"/> (whose node_modules must be installed) and returns once
    /// it printed its ready line; a harness that exits first throws <see cref="MockHarnessExitedException"/>.
    /// </summary>
    public static async Task<MockHarnessProcess> StartAsync(string interopDirectory, MockHarnessOptions? options, CancellationToken cancellationToken)
    {
        options ??= new MockHarnessOptions();
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = interopDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in options.Arguments())
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new MockHarnessExitedException("could not start node");
        var harness = new MockHarnessProcess(process);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.ReadyTimeout ?? TimeSpan.FromMinutes(1));
            harness.Ready = await harness.ready.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            return harness;
        }
        catch
        {
            await harness.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Runs one harness command with <paramref name="args"/> (not modified); returns its result. An error in node throws
    /// <see cref="MockHarnessCommandException"/>, a harness that exits meanwhile <see cref="MockHarnessExitedException"/>.
    /// </summary>
    public async Task<JsonNode?> CommandAsync(string command, JsonObject? args, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref nextId);
        var answer = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = new PendingCommand(command, answer);
        var request = args?.DeepClone().AsObject() ?? new JsonObject();
        request["id"] = id;
        request["cmd"] = command;
        try
        {
            await writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await process.StandardInput.WriteLineAsync(request.ToJsonString().AsMemory(), cancellationToken).ConfigureAwait(false);
                await process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                throw new MockHarnessExitedException(StandardErrorText);
            }
            finally
            {
                writeGate.Release();
            }

            if (stdoutLoop.IsCompleted)
            {
                // The harness went away before this command was pending, so the read loop could not fail it.
                answer.TrySetException(new MockHarnessExitedException(StandardErrorText));
            }

            return await answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            pending.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// Writes a server profile in SignalSharp's JSON format (see SignalSharp.Service ServerProfile) for this mock to
    /// <paramref name="path"/>. The CA path is relative to the file, as a hand-written profile would have it.
    /// </summary>
    public void WriteServerProfile(string path, string name = "mock")
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var urls = Ready["urls"]!;
        var profile = new JsonObject
        {
            ["name"] = name,
            ["chatUrl"] = urls["chat"]!.GetValue<string>(),
            ["storageUrl"] = urls["storage"]!.GetValue<string>(),
            ["cdnUrls"] = new JsonObject
            {
                ["0"] = urls["cdn0"]!.GetValue<string>(),
                ["2"] = urls["cdn2"]!.GetValue<string>(),
                ["3"] = urls["cdn3"]!.GetValue<string>(),
            },
            ["caCertificatePath"] = Path.GetRelativePath(directory, Ready["caCertPath"]!.GetValue<string>()),
            ["trustRoots"] = new JsonArray(Ready["trustRoot"]!.GetValue<string>()),
            ["serverPublicParams"] = Ready["serverPublicParams"]!.GetValue<string>(),
            // The mock serves these two only as gRPC (production serves them on the chat socket).
            ["grpcMethods"] = new JsonArray(
                "org.signal.chat.attachments.Attachments/GetUploadForm",
                "org.signal.chat.messages.MessagesAnonymous/SendMultiRecipientMessage"),
            // The mock answers bad credentials with close code 3000 (production: HTTP 403).
            ["mockQuirks"] = true,
        };
        using var file = File.Create(path);
        using var writer = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true });
        profile.WriteTo(writer);
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
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
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
            await stdoutLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await stderrLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            exitedAtDispose = process.HasExited;
            process.Dispose();
            writeGate.Dispose();
        }
    }

    private async Task ReadStandardOutputAsync()
    {
        try
        {
            while (await process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                Dispatch(line);
            }
        }
        finally
        {
            // Let the log catch up, so that the failure says why node went away.
            await stderrLoop.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            var failure = new MockHarnessExitedException(StandardErrorText);
            ready.TrySetException(failure);
            foreach (var entry in pending)
            {
                entry.Value.Answer.TrySetException(failure);
            }
        }
    }

    private void Dispatch(string line)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(line);
        }
        catch (JsonException)
        {
            return;
        }

        if (node is not JsonObject message)
        {
            return;
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

            return;
        }

        if (message["id"]?.GetValue<long>() is not { } id || !pending.TryRemove(id, out var waiting))
        {
            return;
        }

        if (message["ok"]?.GetValue<bool>() == true)
        {
            waiting.Answer.TrySetResult(message["result"]?.DeepClone());
        }
        else
        {
            waiting.Answer.TrySetException(new MockHarnessCommandException(waiting.Command, message["error"]?.ToString() ?? "unknown error"));
        }
    }

    private async Task ReadStandardErrorAsync()
    {
        // Always drained, so a full pipe never blocks the harness.
        while (await process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            lock (stderr)
            {
                stderr.AppendLine(line);
                if (stderr.Length > StandardErrorTailChars)
                {
                    stderr.Remove(0, stderr.Length - StandardErrorTailChars);
                }
            }
        }
    }

    private sealed record PendingCommand(string Command, TaskCompletionSource<JsonNode?> Answer);
}
