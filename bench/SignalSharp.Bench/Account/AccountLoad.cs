using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SignalSharp.Account.Linking;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Bench.Account;

/// <summary>
/// Issue 5's end-to-end figures against Signal's mock server, with the real daemon process (the Release build of
/// signal-sharp): receive throughput for a burst queued while the device was offline (from the first to the last
/// ack the mock saw: envelopes decrypted, stored and acked), then every item handed out by receive_messages once,
/// then the send_message round trip (command in → answer out; the mock answers the PUT only after its libsignal
/// decrypted the message), then the daemon's RSS.
/// Usage: account-load [--receive N] [--sends N] [--batch N] (--batch sets the receiver's batch size, 1 = unbatched).
/// </summary>
internal static class AccountLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var receiveCount = Option(args, "--receive", 5000);
        var sendCount = Option(args, "--sends", 1000);
        var batch = Option(args, "--batch", 0);
        var cli = Path.Combine(RepositoryRoot(), "src/SignalSharp.Cli/bin/Release/net10.0/signal-sharp.dll");
        if (!File.Exists(cli))
        {
            Console.Error.WriteLine($"build the CLI first: dotnet build -c Release src/SignalSharp.Cli ({cli} is missing)");
            return 2;
        }

        string[] hostArgs = [];
        if (batch > 0)
        {
            // The receive batch is an account option, not a CLI one: a small host on the same CLI code sets it.
            cli = await BatchedDaemonHost.BuildAsync(RepositoryRoot()) ?? "";
            if (cli.Length == 0)
            {
                return 2;
            }

            hostArgs = [batch.ToString(CultureInfo.InvariantCulture)];
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        var ct = timeout.Token;
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load {LoadAverage()}");
        await using var mock = await MockServer.StartAsync(contacts: "Alice", ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-bench-").FullName;
        Process? daemon = null;
        try
        {
            var profilePath = Path.Combine(config, "mock.json");
            mock.WriteServerProfile(profilePath);
            Task<JsonNode?>? scan = null;
            var record = await new DeviceLinker(ServerProfile.Load(profilePath), config).LinkAsync("bench",
                uri => scan = mock.CommandAsync("link", new JsonObject { ["provisionUrl"] = uri.OriginalString }, ct), ct);
            await scan!;
            var alice = mock.Contact("alice")["aci"]!.GetValue<string>();

            // The burst is queued while the device is offline, then delivered at once when the daemon connects.
            var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var acked = new long[receiveCount];
            var clock = Stopwatch.StartNew();
            var sends = new Task[receiveCount];
            var ackCount = 0;
            var daemonPid = 0;
            var cpuAtFirstAck = TimeSpan.Zero;
            for (var i = 0; i < receiveCount; i++)
            {
                var index = i;
                sends[i] = mock.CommandAsync("sendText", new JsonObject
                {
                    ["from"] = "alice", ["text"] = $"burst {i}", ["sealed"] = i % 2 == 0, ["timestamp"] = start + i,
                }, ct).ContinueWith(_ =>
                {
                    acked[index] = clock.ElapsedTicks;
                    if (Interlocked.Increment(ref ackCount) == 1)
                    {
                        // CPU the daemon spends from here on is the receive pipeline's (start-up and JIT are behind it).
                        cpuAtFirstAck = CpuTime(Volatile.Read(ref daemonPid));
                    }
                }, ct, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            while ((await mock.CommandAsync("queuedMessages", null, ct))!["count"]!.GetValue<int>() < receiveCount)
            {
                await Task.Delay(100, ct);
            }

            Console.WriteLine($"queued {receiveCount} messages from Alice (half sealed) in {clock.Elapsed.TotalSeconds:F1} s; starting the daemon");
            var port = FreePort();
            daemon = StartDaemon(cli, hostArgs, config, record.Name, port);
            Volatile.Write(ref daemonPid, daemon.Id);
            await Task.WhenAll(sends).WaitAsync(ct);
            var cpu = CpuTime(daemon.Id) - cpuAtFirstAck;
            var first = acked.Min();
            var last = acked.Max();
            var seconds = (last - first) / (double)Stopwatch.Frequency;
            Console.WriteLine($"receive: {receiveCount} envelopes decrypted, stored and acked in {seconds:F2} s (first to last ack) = {(receiveCount - 1) / seconds:F0} envelopes/s"
                + (batch > 0 ? $" (batch {batch})" : ""));
            var perEnvelope = cpu.TotalMicroseconds / (receiveCount - 1);
            Console.WriteLine($"daemon CPU over that span: {cpu.TotalSeconds:F2} s = {perEnvelope:F0} µs per envelope "
                + $"(all threads; = {1_000_000 / perEnvelope:F0} envelopes per CPU-second, what one free core would sustain)");

            using var client = await ConnectAsync(port, daemon, ct);
            var stream = client.GetStream();
            var reader = new StreamReader(stream, Encoding.UTF8);
            var bodies = new HashSet<string>();
            var handedOut = 0;
            while (handedOut < receiveCount)
            {
                var response = await RoundTripAsync(stream, reader, "{\"command\":\"receive_messages\",\"timeout\":5000}", ct);
                var messages = response.GetProperty("messages");
                if (messages.GetArrayLength() == 0)
                {
                    break;
                }

                foreach (var message in messages.EnumerateArray())
                {
                    handedOut++;
                    bodies.Add(message.GetProperty("body").GetString() ?? "");
                }
            }

            Console.WriteLine($"receive_messages handed out {handedOut} items, {bodies.Count} distinct (expected {receiveCount})");

            var latencies = new List<double>(sendCount);
            for (var i = -20; i < sendCount; i++)
            {
                var command = $"{{\"command\":\"send_message\",\"recipient\":\"{alice}\",\"dataMessage\":{{\"message\":\"bench {i}\"}}}}";
                var started = Stopwatch.GetTimestamp();
                var response = await RoundTripAsync(stream, reader, command, ct);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (response.GetProperty("statusCode").GetInt32() != 0)
                {
                    throw new InvalidOperationException("send_message failed: " + response);
                }

                if (i >= 0)
                {
                    latencies.Add(elapsed);
                }
            }

            latencies.Sort();
            Console.WriteLine($"send_message round trip over {sendCount} (after 20 warm-up): p50 {Percentile(latencies, 0.50):F2} ms, "
                + $"p99 {Percentile(latencies, 0.99):F2} ms, max {latencies[^1]:F2} ms");
            Console.WriteLine($"daemon RSS after both: {Rss(daemon.Id)}");
            Console.WriteLine($"machine load at the end: {LoadAverage()}");
            return handedOut == receiveCount && bodies.Count == receiveCount ? 0 : 1;
        }
        finally
        {
            if (daemon is { HasExited: false })
            {
                daemon.Kill();
                await daemon.WaitForExitAsync(CancellationToken.None);
            }

            daemon?.Dispose();
            Directory.Delete(config, recursive: true);
        }
    }

    private static Process StartDaemon(string cli, string[] hostArgs, string config, string number, int port)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { cli }.Concat(hostArgs).Concat(["--config", config, "-a", number, "daemon", "--tcp", $"127.0.0.1:{port}"]))
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        // Drain its output so it never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<TcpClient> ConnectAsync(int port, Process daemon, CancellationToken ct)
    {
        while (true)
        {
            if (daemon.HasExited)
            {
                throw new InvalidOperationException($"the daemon exited with {daemon.ExitCode}");
            }

            var client = new TcpClient { NoDelay = true };
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port, ct);
                return client;
            }
            catch (SocketException)
            {
                client.Dispose();
                await Task.Delay(100, ct);
            }
        }
    }

    private static async Task<JsonElement> RoundTripAsync(NetworkStream stream, StreamReader reader, string command, CancellationToken ct)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(command + "\n"), ct);
        var line = await reader.ReadLineAsync(ct) ?? throw new InvalidOperationException("the daemon closed the connection");
        using var document = JsonDocument.Parse(line);
        return document.RootElement.Clone();
    }

    /// <summary>User + system CPU time of a process, from /proc (clock ticks of 10 ms on Linux).</summary>
    private static TimeSpan CpuTime(int pid)
    {
        if (pid == 0 || !File.Exists($"/proc/{pid}/stat"))
        {
            return TimeSpan.Zero;
        }

        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After the command name: state is field 3, utime 14 and stime 15 (1-based over the whole line).
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * p))];

    private static string Rss(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return line["VmRSS:".Length..].Trim();
            }
        }

        return "unknown";
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SignalSharp.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root");
    }
}
