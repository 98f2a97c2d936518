using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using SignalSharp.Account.Linking;
using SignalSharp.Bench.Daemon;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Bench.Account;

/// <summary>
/// Issue 18's receive mark, side by side: the NativeAOT daemon of this tree and a baseline binary (main by default)
/// each drain a backlog of N messages from Alice (half sealed) queued while they were offline, interleaved run by
/// run so that load on a shared machine meets both alike. Each binary has a mock server and a linked device of its
/// own (the mock hands a queued backlog to the one device it was queued for). A run measures, from the mock's side,
/// first ack → last ack (every envelope decrypted, stored and acked: the mock sees the ack only after the commit) and
/// the daemon's CPU time over that span, then stops the daemon.
/// Usage: receive-backlog [--runs N] [--receive N] [--binary PATH] [--baseline PATH | --baseline-ref REF]
/// </summary>
internal static class ReceiveBacklog
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = int.Parse(DaemonLoad.Option(args, "--runs") ?? "3", CultureInfo.InvariantCulture);
        var count = int.Parse(DaemonLoad.Option(args, "--receive") ?? "5000", CultureInfo.InvariantCulture);
        var root = DaemonStartup.RepositoryRoot();
        Console.WriteLine($"receive-backlog: {Environment.ProcessorCount} cores, load {BenchProcess.LoadAverage()}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        var (binary, baseline) = await DaemonOnline.BinariesAsync(args, root);
        if (binary is null || baseline is null)
        {
            return 1;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(40));
        var ct = timeout.Token;
        var work = Directory.CreateTempSubdirectory("signal-sharp-bench-backlog-").FullName;
        var sides = new List<Side>();
        try
        {
            foreach (var (name, path) in new[] { ("this tree", binary), ("baseline", baseline) })
            {
                var side = await Side.LinkAsync(name, path, Path.Combine(work, name == "baseline" ? "baseline" : "tree"), ct);
                sides.Add(side);
                // A first small backlog: the first start after linking syncs with the phone; runs measure a device that has run.
                var warm = await side.DrainAsync(200, ct);
                Console.WriteLine($"warm-up ({name}): 200 envelopes at {warm.PerSecond:F0}/s");
            }

            var results = sides.ToDictionary(s => s.Name, _ => new List<Sample>());
            for (var i = 0; i < runs; i++)
            {
                foreach (var side in i % 2 == 0 ? sides : Enumerable.Reverse(sides))
                {
                    var sample = await side.DrainAsync(count, ct);
                    results[side.Name].Add(sample);
                    Console.WriteLine($"run {i + 1} ({side.Name}): {count} envelopes in {sample.Seconds:F2} s = {sample.PerSecond:F0}/s, "
                        + $"{sample.CpuMicrosPerEnvelope:F0} µs CPU each (mock {sample.MockCpuMicrosPerEnvelope:F0} µs), load {sample.Load}");
                }
            }

            Console.WriteLine($"{runs} runs each of {count} envelopes, interleaved; medians (min-max):");
            Console.WriteLine($"{"",-34}{"this tree",-26}{"baseline",-26}ratio");
            Row("envelopes/s (first to last ack)", results, s => s.PerSecond, "F0");
            Row("daemon CPU per envelope (µs)", results, s => s.CpuMicrosPerEnvelope, "F0");
            // The mock server runs on the same cores: what it spends per envelope bounds what the machine can show.
            Row("mock server CPU per envelope (µs)", results, s => s.MockCpuMicrosPerEnvelope, "F0");
            Console.WriteLine($"machine load at the end: {BenchProcess.LoadAverage()}");
            return 0;
        }
        finally
        {
            foreach (var side in sides)
            {
                await side.Mock.DisposeAsync();
            }

            Directory.Delete(work, recursive: true);
        }
    }

    private static void Row(string label, Dictionary<string, List<Sample>> results, Func<Sample, double> pick, string format)
    {
        string Cell(List<Sample> samples)
        {
            var values = samples.Select(pick).Order().ToList();
            return $"{BenchProcess.Median(values).ToString(format, CultureInfo.InvariantCulture)} ({values[0].ToString(format, CultureInfo.InvariantCulture)}-{values[^1].ToString(format, CultureInfo.InvariantCulture)})";
        }

        var ratio = BenchProcess.Median(results["this tree"].Select(pick).ToList()) / BenchProcess.Median(results["baseline"].Select(pick).ToList());
        Console.WriteLine($"{label,-34}{Cell(results["this tree"]),-26}{Cell(results["baseline"]),-26}{ratio:F2}x");
    }

    private sealed record Sample(double Seconds, double PerSecond, double CpuMicrosPerEnvelope, double MockCpuMicrosPerEnvelope, string Load);

    private sealed class Side(string name, string binary, string config, string number, MockServer mock)
    {
        public string Name => name;

        public MockServer Mock => mock;

        public static async Task<Side> LinkAsync(string name, string binary, string config, CancellationToken ct)
        {
            var mock = await MockServer.StartAsync(contacts: "Alice", ct);
            Directory.CreateDirectory(config);
            var profilePath = Path.Combine(config, "mock.json");
            mock.WriteServerProfile(profilePath);
            Task<JsonNode?>? scan = null;
            var record = await new DeviceLinker(ServerProfile.Load(profilePath), config).LinkAsync($"bench {name}",
                uri => scan = mock.CommandAsync("link", new JsonObject { ["provisionUrl"] = uri.OriginalString }, ct), ct);
            await scan!;
            return new Side(name, binary, config, record.Name, mock);
        }

        /// <summary>Queues <paramref name="count"/> messages while the daemon is down, then starts it and times the acks.</summary>
        public async Task<Sample> DrainAsync(int count, CancellationToken ct)
        {
            var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var acked = new long[count];
            var sends = new Task[count];
            var ackCount = 0;
            var daemonPid = 0;
            var cpuAtFirstAck = TimeSpan.Zero;
            var mockCpuAtFirstAck = TimeSpan.Zero;
            for (var i = 0; i < count; i++)
            {
                var index = i;
                sends[i] = mock.CommandAsync("sendText", new JsonObject
                {
                    ["from"] = "alice", ["text"] = $"burst {i}", ["sealed"] = i % 2 == 0, ["timestamp"] = start + i,
                }, ct).ContinueWith(t =>
                {
                    acked[index] = Stopwatch.GetTimestamp();
                    if (Interlocked.Increment(ref ackCount) == 1)
                    {
                        // CPU the daemon spends from here on is the receive pipeline's (start-up is behind it).
                        cpuAtFirstAck = BenchProcess.CpuTime(Volatile.Read(ref daemonPid));
                        mockCpuAtFirstAck = BenchProcess.CpuTime(mock.ProcessId);
                    }

                    t.GetAwaiter().GetResult();
                }, ct, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            while ((await mock.CommandAsync("queuedMessages", null, ct))!["count"]!.GetValue<int>() < count)
            {
                await Task.Delay(100, ct);
            }

            var load = BenchProcess.LoadAverage();
            var port = BenchProcess.FreePort();
            using var daemon = BenchProcess.Start(binary, ["--config", config, "-a", number, "daemon", "--tcp", $"127.0.0.1:{port}"]);
            Volatile.Write(ref daemonPid, daemon.Id);
            try
            {
                await Task.WhenAll(sends).WaitAsync(ct);
                var cpu = BenchProcess.CpuTime(daemon.Id) - cpuAtFirstAck;
                var mockCpu = BenchProcess.CpuTime(mock.ProcessId) - mockCpuAtFirstAck;
                var seconds = (acked.Max() - acked.Min()) / (double)Stopwatch.Frequency;
                return new Sample(seconds, (count - 1) / seconds, cpu.TotalMicroseconds / (count - 1), mockCpu.TotalMicroseconds / (count - 1), load);
            }
            finally
            {
                await BenchProcess.StopAsync(daemon);
            }
        }
    }
}
