using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SignalSharp.Account.Linking;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Bench.Daemon;

/// <summary>
/// Issue 18's memory marks, side by side: the NativeAOT daemon of this tree and a baseline binary (main by default),
/// each with a mock server and a linked device of its own, run at the same time (memory does not depend on who gets
/// the core first, and the two runs meet the same load). A run starts `daemon --tcp`, sends one message to Alice (the
/// account is then online and has run its start-up), idles, and reads RSS; then Alice sends N messages (half sealed)
/// in batches while a client takes them with `receive_messages` (every one of them must arrive), and after another
/// idle spell RSS is read again. RSS is split into its anonymous part (the process's own memory) and file pages
/// (the binary's code and data, shared libraries).
/// Usage: idle-memory [--messages N] [--batch N] [--idle-seconds S] [--binary PATH] [--baseline PATH | --baseline-ref REF]
///        [--env NAME=VALUE]... (this tree's binary only) [--smaps]
/// </summary>
internal static class IdleMemory
{
    public static async Task<int> RunAsync(string[] args)
    {
        var messages = int.Parse(DaemonLoad.Option(args, "--messages") ?? "20000", CultureInfo.InvariantCulture);
        var batch = int.Parse(DaemonLoad.Option(args, "--batch") ?? "500", CultureInfo.InvariantCulture);
        var idle = TimeSpan.FromSeconds(double.Parse(DaemonLoad.Option(args, "--idle-seconds") ?? "5", CultureInfo.InvariantCulture));
        var environment = DaemonLoad.EnvironmentOptions(args);
        var smaps = args.Contains("--smaps");
        var root = DaemonStartup.RepositoryRoot();
        Console.WriteLine($"idle-memory: {Environment.ProcessorCount} cores, load {BenchProcess.LoadAverage()}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        var (binary, baseline) = await DaemonOnline.BinariesAsync(args, root);
        if (binary is null || baseline is null)
        {
            return 1;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(90));
        var ct = timeout.Token;
        var work = Directory.CreateTempSubdirectory("signal-sharp-bench-memory-").FullName;
        try
        {
            var runs = new[] { ("this tree", binary, environment), ("baseline", baseline, new List<KeyValuePair<string, string>>()) }
                .Select(s => RunSideAsync(s.Item1, s.Item2, s.Item3, Path.Combine(work, s.Item1 == "baseline" ? "baseline" : "tree"),
                    messages, batch, idle, smaps, ct))
                .ToList();
            var results = await Task.WhenAll(runs);
            var tree = results[0];
            var main = results[1];
            Console.WriteLine($"{messages} messages received and delivered per daemon, idle {idle.TotalSeconds:0.#} s before each reading:");
            Console.WriteLine($"{"",-34}{"this tree",-14}{"baseline",-14}ratio");
            Row("RSS after start (MiB)", tree.Start.RssKiB, main.Start.RssKiB);
            Row("  anonymous (MiB)", tree.Start.AnonKiB, main.Start.AnonKiB);
            Row("  file pages (MiB)", tree.Start.FileKiB, main.Start.FileKiB);
            Row($"RSS after {messages} messages (MiB)", tree.After.RssKiB, main.After.RssKiB);
            Row("  anonymous (MiB)", tree.After.AnonKiB, main.After.AnonKiB);
            Row("  file pages (MiB)", tree.After.FileKiB, main.After.FileKiB);
            Row("peak RSS, VmHWM (MiB)", tree.After.PeakKiB, main.After.PeakKiB);
            Console.WriteLine($"{"messages/s received and delivered",-34}{tree.PerSecond,-14:F0}{main.PerSecond,-14:F0}{tree.PerSecond / main.PerSecond:F2}x");
            Console.WriteLine($"machine load at the end: {BenchProcess.LoadAverage()}");
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static void Row(string label, long tree, long baseline) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label,-34}{tree / 1024.0,-14:F1}{baseline / 1024.0,-14:F1}{(double)tree / baseline:F2}x"));

    internal sealed record Memory(long RssKiB, long AnonKiB, long FileKiB, long PeakKiB)
    {
        public static Memory Of(int pid) =>
            new(Status(pid, "VmRSS:"), Status(pid, "RssAnon:"), Status(pid, "RssFile:") + Status(pid, "RssShmem:"), Status(pid, "VmHWM:"));

        private static long Status(int pid, string field)
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                }
            }

            return 0;
        }
    }

    private sealed record Result(Memory Start, Memory After, double PerSecond);

    private static async Task<Result> RunSideAsync(string name, string binary, List<KeyValuePair<string, string>> environment, string config,
        int messages, int batch, TimeSpan idle, bool smaps, CancellationToken ct)
    {
        await using var mock = await MockServer.StartAsync(contacts: "Alice", ct);
        Directory.CreateDirectory(config);
        var profilePath = Path.Combine(config, "mock.json");
        mock.WriteServerProfile(profilePath);
        Task<JsonNode?>? scan = null;
        var record = await new DeviceLinker(ServerProfile.Load(profilePath), config).LinkAsync($"bench {name}",
            uri => scan = mock.CommandAsync("link", new JsonObject { ["provisionUrl"] = uri.OriginalString }, ct), ct);
        await scan!;
        var alice = mock.Contact("alice")["aci"]!.GetValue<string>();

        // The first start after linking syncs with the phone; the measured start is of a device that has run.
        await RunDaemonAsync(binary, environment, config, record.Name, alice, mock, 0, batch, TimeSpan.Zero, false, ct);
        var result = await RunDaemonAsync(binary, environment, config, record.Name, alice, mock, messages, batch, idle, smaps, ct);
        Console.WriteLine($"{name}: after start {result.Start.RssKiB / 1024.0:F1} MiB, after {messages} messages {result.After.RssKiB / 1024.0:F1} MiB");
        return result;
    }

    private static async Task<Result> RunDaemonAsync(string binary, List<KeyValuePair<string, string>> environment, string config, string number,
        string alice, MockServer mock, int messages, int batch, TimeSpan idle, bool smaps, CancellationToken ct)
    {
        var port = BenchProcess.FreePort();
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var daemon = BenchProcess.Start(binary, ["--config", config, "-a", number, "daemon", "--tcp", $"127.0.0.1:{port}"], environment,
            line => errors.Enqueue(line));
        try
        {
            using var client = await ConnectAsync(port, daemon, errors, ct);
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var answer = await CommandAsync(stream, reader, $"{{\"command\":\"send_message\",\"recipient\":\"{alice}\",\"dataMessage\":{{\"message\":\"hello\"}}}}", ct);
            if (answer.GetProperty("statusCode").GetInt32() != 0)
            {
                throw new InvalidOperationException($"{binary}: the first send failed: {answer}");
            }

            await Task.Delay(idle, ct);
            var start = Memory.Of(daemon.Id);
            var clock = Stopwatch.StartNew();
            var stamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            for (var sent = 0; sent < messages; sent += batch)
            {
                var size = Math.Min(batch, messages - sent);
                var sends = Enumerable.Range(sent, size).Select(i => mock.CommandAsync("sendText", new JsonObject
                {
                    ["from"] = "alice", ["text"] = $"mem {i}", ["sealed"] = i % 2 == 0, ["timestamp"] = stamp + i,
                }, ct)).ToList();
                var received = 0;
                while (received < size)
                {
                    var taken = await CommandAsync(stream, reader, "{\"command\":\"receive_messages\",\"timeout\":5000,\"ignoreAttachments\":true}", ct);
                    received += taken.GetProperty("messages").EnumerateArray()
                        .Count(m => m.TryGetProperty("body", out var body) && body.GetString()!.StartsWith("mem ", StringComparison.Ordinal));
                }

                await Task.WhenAll(sends);
            }

            var perSecond = messages / clock.Elapsed.TotalSeconds;
            await Task.Delay(idle, ct);
            var after = Memory.Of(daemon.Id);
            if (smaps)
            {
                File.Copy($"/proc/{daemon.Id}/smaps", Path.Combine(Path.GetTempPath(), $"idle-memory-smaps-{Path.GetFileName(Path.GetDirectoryName(binary))}.txt"), true);
            }

            return new Result(start, after, perSecond);
        }
        finally
        {
            await BenchProcess.StopAsync(daemon);
        }
    }

    private static async Task<JsonElement> CommandAsync(NetworkStream stream, StreamReader reader, string command, CancellationToken ct)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(command + "\n"), ct);
        var line = await reader.ReadLineAsync(ct) ?? throw new InvalidOperationException("the daemon closed the connection");
        using var document = JsonDocument.Parse(line);
        return document.RootElement.Clone();
    }

    private static async Task<TcpClient> ConnectAsync(int port, Process daemon, IEnumerable<string> errors, CancellationToken ct)
    {
        while (true)
        {
            var client = new TcpClient { NoDelay = true };
            try
            {
                await client.ConnectAsync("127.0.0.1", port, ct);
                return client;
            }
            catch (SocketException)
            {
                client.Dispose();
                if (daemon.HasExited)
                {
                    throw new InvalidOperationException($"the daemon exited with {daemon.ExitCode} before accepting: {string.Join('\n', errors)}");
                }

                await Task.Delay(20, ct);
            }
        }
    }
}
