using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using SignalSharp.Account.Linking;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Bench.Daemon;

/// <summary>
/// Issue 18's many-accounts mark: one multi-account daemon (`daemon` without -a, every account under --config) with
/// 1, 10, 100, ... linked accounts on one mock server, this tree's NativeAOT binary beside a baseline (main by default),
/// both serving the same folder one after the other (the same devices move on; neither copies a store). The first
/// account is linked to the mock's phone, which has Alice as a contact; every other one is a primary of its own made
/// by the mock, linked once and kept for the larger sizes. At each size, a run waits until every account's socket is
/// up and the daemon has gone idle, reads RSS, then measures the first account's latencies over JSON-RPC on TCP:
/// `send` to Alice until its SUCCESS answer (the mock decrypted it), and Alice's message until the
/// `subscribeReceive` notification.
/// Usage: many-accounts [--sizes 1,10,100] [--rounds N] [--idle-seconds S] [--binary PATH] [--baseline PATH | --baseline-ref REF] [--smaps] [--env NAME=VALUE]...
/// </summary>
internal static class ManyAccounts
{
    /// <summary>--smaps: keep each measured daemon's /proc/PID/smaps and print its thread count.</summary>
    private static bool Smaps { get; set; }

    /// <summary>--env NAME=VALUE: for this tree's binary only (a knob against the same binary as baseline).</summary>
    private static List<KeyValuePair<string, string>> TreeEnvironment { get; set; } = [];

    public static async Task<int> RunAsync(string[] args)
    {
        var sizes = (DaemonLoad.Option(args, "--sizes") ?? "1,10,100").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).Order().ToList();
        var rounds = int.Parse(DaemonLoad.Option(args, "--rounds") ?? "20", CultureInfo.InvariantCulture);
        var idle = TimeSpan.FromSeconds(double.Parse(DaemonLoad.Option(args, "--idle-seconds") ?? "12", CultureInfo.InvariantCulture));
        Smaps = args.Contains("--smaps");
        TreeEnvironment = DaemonLoad.EnvironmentOptions(args);
        var root = DaemonStartup.RepositoryRoot();
        Console.WriteLine($"many-accounts: {Environment.ProcessorCount} cores, load {BenchProcess.LoadAverage()}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        var (binary, baseline) = await DaemonOnline.BinariesAsync(args, root);
        if (binary is null || baseline is null)
        {
            return 1;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromHours(2));
        var ct = timeout.Token;
        var work = Directory.CreateTempSubdirectory("signal-sharp-bench-accounts-").FullName;
        try
        {
            await using var mock = await MockServer.StartAsync(contacts: "Alice", ct);
            var config = Path.Combine(work, "config");
            Directory.CreateDirectory(config);
            var profilePath = Path.Combine(work, "mock.json");
            mock.WriteServerProfile(profilePath);
            var profile = ServerProfile.Load(profilePath);
            if (Smaps)
            {
                Console.WriteLine($"mock: chat {profile.ChatEndpoints[0].ChatWebSocketUrl}, storage {profile.StorageUrl}");
            }
            var alice = mock.Contact("alice")["aci"]!.GetValue<string>();
            var first = await LinkAsync(mock, profile, config, "phone", "measured", ct);
            var linked = 1;
            var rows = new List<(int Size, Sample Tree, Sample Baseline)>();
            foreach (var size in sizes)
            {
                var clock = Stopwatch.StartNew();
                for (; linked < size; linked++)
                {
                    var name = $"acct{linked}";
                    await mock.CommandAsync("createAccount", new JsonObject { ["name"] = name }, ct);
                    await LinkAsync(mock, profile, config, name, null, ct);
                }

                Console.WriteLine($"{size} accounts linked ({clock.Elapsed.TotalSeconds:F0} s for the new ones)");
                // The first start of a freshly linked account syncs with its phone; the measured runs start accounts that have run.
                await RunAsync(binary, config, size, first, alice, mock, 1, TimeSpan.Zero, ct);
                Sample tree, main;
                if (rows.Count % 2 == 0)
                {
                    tree = await RunAsync(binary, config, size, first, alice, mock, rounds, idle, ct);
                    main = await RunAsync(baseline, config, size, first, alice, mock, rounds, idle, ct, isBaseline: true);
                }
                else
                {
                    main = await RunAsync(baseline, config, size, first, alice, mock, rounds, idle, ct, isBaseline: true);
                    tree = await RunAsync(binary, config, size, first, alice, mock, rounds, idle, ct);
                }

                rows.Add((size, tree, main));
                Console.WriteLine($"{size} accounts: this tree {tree}; baseline {main}");
            }

            Console.WriteLine($"one multi-account daemon, medians over {rounds} rounds of the first account's latencies:");
            Console.WriteLine($"{"accounts",-10}{"RSS MiB tree/base",-22}{"ratio",-8}{"online s tree/base",-22}{"send ms tree/base",-22}{"receive ms tree/base",-22}");
            foreach (var (size, tree, main) in rows)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{size,-10}{$"{tree.RssKiB / 1024.0:F1} / {main.RssKiB / 1024.0:F1}",-22}{(double)tree.RssKiB / main.RssKiB,-8:F2}"
                    + $"{$"{tree.OnlineSeconds:F1} / {main.OnlineSeconds:F1}",-22}{$"{tree.SendMs:F1} / {main.SendMs:F1}",-22}{$"{tree.ReceiveMs:F1} / {main.ReceiveMs:F1}",-22}"));
            }

            if (rows.Count > 1)
            {
                var (small, large) = (rows[0], rows[^1]);
                double PerAccount(Func<(int Size, Sample Tree, Sample Baseline), Sample> pick) =>
                    (pick(large).RssKiB - pick(small).RssKiB) / 1024.0 / (large.Size - small.Size);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"RSS per added account ({small.Size} -> {large.Size}): this tree {PerAccount(r => r.Tree) * 1024:F0} KiB, baseline {PerAccount(r => r.Baseline) * 1024:F0} KiB"));
            }

            Console.WriteLine($"machine load at the end: {BenchProcess.LoadAverage()}");
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The process's established TCP connections counted by remote port (the mock serves chat, storage and CDNs on ports of their own).</summary>
    private static string SocketsByRemotePort(int pid)
    {
        var inodes = Directory.EnumerateFiles($"/proc/{pid}/fd").Select(fd => new FileInfo(fd).LinkTarget).OfType<string>()
            .Where(t => t.StartsWith("socket:[", StringComparison.Ordinal)).Select(t => t[8..^1]).ToHashSet();
        var ports = new SortedDictionary<int, int>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists))
        {
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // sl local rem st tx:rx tr:when retrnsmt uid timeout inode
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length > 9 && f[3] == "01" && inodes.Contains(f[9]))
                {
                    var port = int.Parse(f[2][(f[2].IndexOf(':', StringComparison.Ordinal) + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    ports[port] = ports.GetValueOrDefault(port) + 1;
                }
            }
        }

        return string.Join(", ", ports.Select(p => $"{p.Value} to :{p.Key}"));
    }

    private sealed record Sample(long RssKiB, long AnonKiB, double OnlineSeconds, double SendMs, double ReceiveMs)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"RSS {RssKiB / 1024.0:F1} MiB (anonymous {AnonKiB / 1024.0:F1}), online in {OnlineSeconds:F1} s, send {SendMs:F1} ms, receive {ReceiveMs:F1} ms");
    }

    /// <summary>Links one device of <paramref name="primary"/> into <paramref name="config"/>; its number.</summary>
    private static async Task<string> LinkAsync(MockServer mock, ServerProfile profile, string config, string primary, string? name, CancellationToken ct)
    {
        Task<JsonNode?>? scan = null;
        var record = await new DeviceLinker(profile, config).LinkAsync($"bench {primary}", uri => scan = mock.CommandAsync("link", new JsonObject
        {
            ["provisionUrl"] = uri.OriginalString, ["primary"] = primary, ["as"] = name,
        }, ct), ct);
        await scan!;
        return record.Name;
    }

    private static async Task<Sample> RunAsync(string binary, string config, int accounts, string number, string alice, MockServer mock, int rounds, TimeSpan idle,
        CancellationToken ct, bool isBaseline = false)
    {
        var port = BenchProcess.FreePort();
        var connected = 0;
        var clock = Stopwatch.StartNew();
        // --smaps: the daemon's log beside its smaps (which sockets it opened, and when).
        using var log = Smaps ? new StreamWriter(Path.Combine(Path.GetTempPath(), $"many-accounts-log-{accounts}-{Path.GetFileName(Path.GetDirectoryName(binary))}.txt")) : null;
        using var daemon = BenchProcess.Start(binary, ["--config", config, "daemon", "--tcp", $"127.0.0.1:{port}", "--receive-mode", "manual"],
            isBaseline ? [] : TreeEnvironment, onError: line =>
            {
                if (log is not null)
                {
                    lock (log)
                    {
                        log.WriteLine(line);
                    }
                }

                if (line.Contains("chat(auth): connected to ", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref connected);
                }
            });
        try
        {
            // Every account's authenticated socket up, then CPU quiet for a second: the accounts' start-up is behind them.
            while (Volatile.Read(ref connected) < accounts)
            {
                if (daemon.HasExited)
                {
                    throw new InvalidOperationException($"{binary} exited with {daemon.ExitCode} before its accounts were online");
                }

                await Task.Delay(100, ct);
            }

            var online = clock.Elapsed.TotalSeconds;
            for (var before = BenchProcess.CpuTime(daemon.Id); ; )
            {
                await Task.Delay(1000, ct);
                var now = BenchProcess.CpuTime(daemon.Id);
                if (now - before < TimeSpan.FromMilliseconds(50))
                {
                    break;
                }

                before = now;
            }

            await Task.Delay(idle, ct);
            var memory = IdleMemory.Memory.Of(daemon.Id);
            if (Smaps)
            {
                var copy = Path.Combine(Path.GetTempPath(), $"many-accounts-smaps-{accounts}-{Path.GetFileName(Path.GetDirectoryName(binary))}.txt");
                File.Copy($"/proc/{daemon.Id}/smaps", copy, overwrite: true);
                var threads = File.ReadLines($"/proc/{daemon.Id}/status").First(l => l.StartsWith("Threads:", StringComparison.Ordinal));
                var sockets = Directory.EnumerateFiles($"/proc/{daemon.Id}/fd").Count(fd => new FileInfo(fd).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true);
                Console.WriteLine($"{binary} with {accounts} accounts: {threads.Replace('\t', ' ')}, {sockets} sockets ({SocketsByRemotePort(daemon.Id)}), smaps in {copy}");
            }

            var channels = new Channels(port, 0);
            await using var subscription = await channels.SubscriptionAsync(ct);
            await using var requests = await channels.LineAsync(ct);
            var sends = new List<double>();
            var receives = new List<double>();
            for (var i = 0; i < rounds; i++)
            {
                var watch = Stopwatch.StartNew();
                var answer = await requests.AskAsync(
                    $$$"""{"jsonrpc":"2.0","id":{{{i}}},"method":"send","params":{"account":"{{{number}}}","recipient":["{{{alice}}}"],"message":"many {{{i}}}"}}""", ct);
                sends.Add(watch.Elapsed.TotalMilliseconds);
                if (!answer.Contains("\"SUCCESS\"", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"{binary}: send failed: {answer}");
                }

                var marker = $"from alice {Guid.NewGuid():N}";
                watch.Restart();
                var sent = mock.CommandAsync("sendText", new JsonObject { ["from"] = "alice", ["to"] = "measured", ["text"] = marker }, ct);
                await subscription.WaitForAsync(marker, ct);
                receives.Add(watch.Elapsed.TotalMilliseconds);
                await sent;
            }

            return new Sample(memory.RssKiB, memory.AnonKiB, online, BenchProcess.Median(sends), BenchProcess.Median(receives));
        }
        finally
        {
            await BenchProcess.StopAsync(daemon);
        }
    }
}
