using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace SignalSharp.Cli.Local;

/// <summary>
/// The mock-server harness (<c>interop/mock/harness.mjs</c>) as a child process: one JSON line of "ready" facts,
/// then commands as JSON lines on stdin, each answered by a line with the same id. Closing stdin stops it.
/// </summary>
internal sealed class HarnessProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonNode?>> pending = new();
    private readonly TaskCompletionSource<JsonObject> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim writeGate = new(1, 1);
    private long nextId;

    private HarnessProcess(Process process)
    {
        this.process = process;
        _ = Task.Run(ReadLoopAsync);
        _ = Task.Run(async () =>
        {
            // Drain the harness's log so a full pipe never blocks it.
            while (await process.StandardError.ReadLineAsync().ConfigureAwait(false) is not null)
            {
            }
        });
    }

    public JsonObject Ready { get; private set; } = new();

    public static async Task<HarnessProcess> StartAsync(string interopDirectory, string contacts, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = interopDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine("mock", "harness.mjs"), "--host", "127.0.0.1", "--port", "0", "--contacts", contacts, "--timeout-ms", "120000" })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        var harness = new HarnessProcess(process);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            harness.Ready = await harness.ready.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            return harness;
        }
        catch
        {
            await harness.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task<JsonNode?> CommandAsync(string command, JsonObject? args, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref nextId);
        var answer = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = answer;
        var request = args ?? new JsonObject();
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
            return await answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            pending.TryRemove(id, out _);
        }
    }

    /// <summary>A server profile (SignalSharp's JSON format) for this mock.</summary>
    public void WriteServerProfile(string path)
    {
        var urls = Ready["urls"]!;
        var profile = new JsonObject
        {
            ["name"] = "local mock",
            ["chatUrl"] = urls["chat"]!.GetValue<string>(),
            ["storageUrl"] = urls["storage"]!.GetValue<string>(),
            ["cdnUrls"] = new JsonObject
            {
                ["0"] = urls["cdn0"]!.GetValue<string>(),
                ["2"] = urls["cdn2"]!.GetValue<string>(),
                ["3"] = urls["cdn3"]!.GetValue<string>(),
            },
            ["caCertificatePath"] = Ready["caCertPath"]!.GetValue<string>(),
            ["trustRoots"] = new JsonArray(Ready["trustRoot"]!.GetValue<string>()),
            ["serverPublicParams"] = Ready["serverPublicParams"]!.GetValue<string>(),
        };
        File.WriteAllText(path, profile.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            process.StandardInput.Close();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
        }

        process.Dispose();
        writeGate.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (await process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                JsonObject? message;
                try
                {
                    message = JsonNode.Parse(line) as JsonObject;
                }
                catch (System.Text.Json.JsonException)
                {
                    continue;
                }

                if (message is null)
                {
                    continue;
                }

                if (message["event"]?.GetValue<string>() == "ready")
                {
                    ready.TrySetResult(message);
                    continue;
                }

                if (message["id"] is not { } idNode || !pending.TryRemove(idNode.GetValue<long>(), out var answer))
                {
                    continue;
                }

                if (message["ok"]?.GetValue<bool>() == true)
                {
                    answer.TrySetResult(message["result"]?.DeepClone());
                }
                else
                {
                    answer.TrySetException(new InvalidOperationException("mock harness: " + (message["error"]?.ToString() ?? "unknown error")));
                }
            }
        }
        finally
        {
            var failure = new InvalidOperationException("the mock harness exited");
            ready.TrySetException(failure);
            foreach (var entry in pending)
            {
                entry.Value.TrySetException(failure);
            }
        }
    }
}
