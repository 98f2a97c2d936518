using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SignalSharp.Account.Linking;
using SignalSharp.Bench.Daemon;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Bench.Account;

/// <summary>
/// Issue 18's send mark, side by side: the NativeAOT daemon of this tree and a baseline binary (main by default),
/// each with a linked device on a mock server of its own, get a burst of JSON-RPC <c>send</c> requests on one
/// connection with up to <c>--in-flight</c> unanswered at a time (JSON-RPC runs a connection's requests
/// concurrently), to one contact or spread round-robin over <c>--contacts</c> contacts. Each answer must report
/// SUCCESS for its one recipient. Figure: sends/s from the first request written to the last answer read.
/// Interleaved run by run. Usage: send-burst [--runs N] [--sends N] [--contacts N] [--in-flight N] [--binary PATH]
/// [--baseline PATH | --baseline-ref REF]
/// </summary>
internal static class SendBurst
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = int.Parse(DaemonLoad.Option(args, "--runs") ?? "3", CultureInfo.InvariantCulture);
        var sends = int.Parse(DaemonLoad.Option(args, "--sends") ?? "500", CultureInfo.InvariantCulture);
        var contacts = int.Parse(DaemonLoad.Option(args, "--contacts") ?? "1", CultureInfo.InvariantCulture);
        var inFlight = int.Parse(DaemonLoad.Option(args, "--in-flight") ?? "32", CultureInfo.InvariantCulture);
        var root = DaemonStartup.RepositoryRoot();
        Console.WriteLine($"send-burst: {Environment.ProcessorCount} cores, load {BenchProcess.LoadAverage()}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, "
            + $"{sends} sends to {contacts} contact(s), {inFlight} in flight");
        var (binary, baseline) = await DaemonOnline.BinariesAsync(args, root);
        if (binary is null || baseline is null)
        {
            return 1;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(40));
        var ct = timeout.Token;
        var names = Enumerable.Range(1, contacts).Select(i => i == 1 ? "Alice" : $"Contact{i}").ToList();
        var work = Directory.CreateTempSubdirectory("signal-sharp-bench-sends-").FullName;
        var sides = new List<Side>();
        try
        {
            foreach (var (name, path) in new[] { ("this tree", binary), ("baseline", baseline) })
            {
                var side = await Side.StartAsync(name, path, Path.Combine(work, name == "baseline" ? "baseline" : "tree"), names, ct);
                sides.Add(side);
                // Sessions with every contact (pre-key bundles fetched) and the sealed-sender certificate come first.
                var warm = await side.BurstAsync(Math.Max(2 * contacts, 20), inFlight, ct);
                Console.WriteLine($"warm-up ({name}): {warm:F0} sends/s");
            }

            var results = sides.ToDictionary(s => s.Name, _ => new List<double>());
            var cpu = sides.ToDictionary(s => s.Name, _ => new List<double>());
            for (var i = 0; i < runs; i++)
            {
                foreach (var side in i % 2 == 0 ? sides : Enumerable.Reverse(sides))
                {
                    var load = BenchProcess.LoadAverage();
                    var (rate, cpuPerSend) = await side.MeasuredBurstAsync(sends, inFlight, ct);
                    results[side.Name].Add(rate);
                    cpu[side.Name].Add(cpuPerSend);
                    Console.WriteLine($"run {i + 1} ({side.Name}): {rate:F0} sends/s, {cpuPerSend:F0} µs daemon CPU each, load {load}");
                }
            }

            string Cell(List<double> values) =>
                $"{BenchProcess.Median(values):F0} ({values.Min():F0}-{values.Max():F0})";
            Console.WriteLine($"{runs} runs each, interleaved; medians (min-max):");
            Console.WriteLine($"{"",-24}{"this tree",-24}{"baseline",-24}ratio");
            Console.WriteLine($"{"sends/s",-24}{Cell(results["this tree"]),-24}{Cell(results["baseline"]),-24}"
                + $"{BenchProcess.Median(results["this tree"]) / BenchProcess.Median(results["baseline"]):F2}x");
            Console.WriteLine($"{"daemon CPU/send (µs)",-24}{Cell(cpu["this tree"]),-24}{Cell(cpu["baseline"]),-24}"
                + $"{BenchProcess.Median(cpu["this tree"]) / BenchProcess.Median(cpu["baseline"]):F2}x");
            Console.WriteLine($"machine load at the end: {BenchProcess.LoadAverage()}");
            return 0;
        }
        finally
        {
            foreach (var side in sides)
            {
                await side.DisposeAsync();
            }

            Directory.Delete(work, recursive: true);
        }
    }

    private sealed class Side(string name, MockServer mock, Process daemon, TcpClient client, List<string> recipients) : IAsyncDisposable
    {
        private readonly StreamReader reader = new(client.GetStream(), Encoding.UTF8);
        private int nextId;

        public string Name => name;

        public static async Task<Side> StartAsync(string name, string binary, string config, List<string> contacts, CancellationToken ct)
        {
            var mock = await MockServer.StartAsync(contacts: string.Join(',', contacts), ct);
            Directory.CreateDirectory(config);
            var profilePath = Path.Combine(config, "mock.json");
            mock.WriteServerProfile(profilePath);
            Task<JsonNode?>? scan = null;
            var record = await new DeviceLinker(ServerProfile.Load(profilePath), config).LinkAsync($"bench {name}",
                uri => scan = mock.CommandAsync("link", new JsonObject { ["provisionUrl"] = uri.OriginalString }, ct), ct);
            await scan!;
            var recipients = contacts.Select(c => mock.Contact(c.ToLowerInvariant())["aci"]!.GetValue<string>()).ToList();
            var port = BenchProcess.FreePort();
            var daemon = BenchProcess.Start(binary, ["--config", config, "-a", record.Name, "daemon", "--tcp", $"127.0.0.1:{port}"]);
            while (true)
            {
                if (daemon.HasExited)
                {
                    throw new InvalidOperationException($"{binary} exited with {daemon.ExitCode}");
                }

                var client = new TcpClient { NoDelay = true };
                try
                {
                    await client.ConnectAsync(IPAddress.Loopback, port, ct);
                    return new Side(name, mock, daemon, client, recipients);
                }
                catch (SocketException)
                {
                    client.Dispose();
                    await Task.Delay(50, ct);
                }
            }
        }

        /// <summary>As <see cref="BurstAsync"/>, with the daemon's CPU time over the burst (from <c>/proc</c>) per send.</summary>
        public async Task<(double PerSecond, double CpuMicrosPerSend)> MeasuredBurstAsync(int count, int inFlight, CancellationToken ct)
        {
            var before = BenchProcess.CpuTime(daemon.Id);
            var rate = await BurstAsync(count, inFlight, ct);
            return (rate, (BenchProcess.CpuTime(daemon.Id) - before).TotalMicroseconds / count);
        }

        /// <summary>Sends <paramref name="count"/> messages with up to <paramref name="inFlight"/> unanswered; returns sends/s.</summary>
        public async Task<double> BurstAsync(int count, int inFlight, CancellationToken ct)
        {
            var stream = client.GetStream();
            var expected = new Dictionary<int, string>();
            var written = 0;
            var answered = 0;
            var clock = Stopwatch.StartNew();
            while (answered < count)
            {
                var batch = new StringBuilder();
                while (written < count && written - answered < inFlight)
                {
                    var id = ++nextId;
                    var recipient = recipients[written % recipients.Count];
                    expected[id] = recipient;
                    batch.Append(CultureInfo.InvariantCulture,
                        $"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"send\",\"params\":{{\"recipient\":[\"{recipient}\"],\"message\":\"burst {id}\"}}}}\n");
                    written++;
                }

                if (batch.Length > 0)
                {
                    await stream.WriteAsync(Encoding.UTF8.GetBytes(batch.ToString()), ct);
                }

                var line = await reader.ReadLineAsync(ct) ?? throw new InvalidOperationException($"{name}: the daemon closed the connection");
                using var answer = JsonDocument.Parse(line);
                var root = answer.RootElement;
                if (!root.TryGetProperty("id", out var idElement) || !expected.Remove(idElement.GetInt32(), out var sentTo))
                {
                    continue;
                }

                // Exact per-recipient results: one result, for the recipient of this very request, SUCCESS.
                var results = root.GetProperty("result").GetProperty("results");
                if (results.GetArrayLength() != 1 || results[0].GetProperty("type").GetString() != "SUCCESS"
                    || results[0].GetProperty("recipientAddress").GetProperty("uuid").GetString() != sentTo)
                {
                    throw new InvalidOperationException($"{name}: send {idElement} to {sentTo} answered {line}");
                }

                answered++;
            }

            return count / clock.Elapsed.TotalSeconds;
        }

        public async ValueTask DisposeAsync()
        {
            client.Dispose();
            await BenchProcess.StopAsync(daemon);
            daemon.Dispose();
            await mock.DisposeAsync();
        }
    }
}
