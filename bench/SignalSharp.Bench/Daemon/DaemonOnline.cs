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

namespace SignalSharp.Bench.Daemon;

/// <summary>
/// Issue 18's start-up figures with a real linked account against Signal's mock server: the NativeAOT
/// signal-sharp binary of this tree beside a baseline binary (by default built from `main` in a git worktree), in the
/// same run and interleaved run by run so that load on a shared machine hits both alike. Each binary serves a linked
/// device of its own (run once beforehand, so it has its session with Alice); each run execs `daemon --tcp` and measures:
///  - exec → accepting: the first TCP connect that succeeds;
///  - exec → online: the daemon's systemd READY=1 on a NOTIFY_SOCKET the benchmark holds, sent once the account's start
///    is done and sends go out (what a supervisor waits for);
///  - exec → first send answered: a send_message to Alice written on that connection at once, until its answer
///    (statusCode 0; the mock answers only after its libsignal decrypted the message);
///  - RSS (and its anonymous part, the process's own memory) and CPU time two seconds after that answer, idle.
/// Usage: daemon-online [--runs N] [--baseline-ref REF | --baseline PATH] [--binary PATH] [--idle-seconds S] [--env NAME=VALUE]... [--smaps] [--show-log]
/// </summary>
internal static class DaemonOnline
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = int.Parse(DaemonLoad.Option(args, "--runs") ?? "7", CultureInfo.InvariantCulture);
        var idleSeconds = double.Parse(DaemonLoad.Option(args, "--idle-seconds") ?? "2", CultureInfo.InvariantCulture);
        // --env NAME=VALUE sets an environment variable for this tree's binary only (GC knobs, say), so that the same
        // binary with and without it can be compared: --binary X --baseline X --env DOTNET_GCgen0size=0x100000.
        var environment = DaemonLoad.EnvironmentOptions(args);
        var smaps = args.Contains("--smaps");
        // The daemon's own log of each measured run (with SIGNAL_SHARP_LOG_LEVEL=debug through --env, its start step by step).
        var showLog = args.Contains("--show-log");
        var root = DaemonStartup.RepositoryRoot();
        Console.WriteLine($"daemon-online: {Environment.ProcessorCount} cores, load {LoadAverage()}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");

        var (binary, baseline) = await BinariesAsync(args, root);
        if (binary is null || baseline is null)
        {
            return 1;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync(contacts: "Alice", ct);
        var work = Directory.CreateTempSubdirectory("signal-sharp-bench-online-").FullName;
        try
        {
            var profilePath = Path.Combine(work, "mock.json");
            mock.WriteServerProfile(profilePath);
            var alice = mock.Contact("alice")["aci"]!.GetValue<string>();
            var sendLine = Encoding.UTF8.GetBytes($"{{\"command\":\"send_message\",\"recipient\":\"{alice}\",\"dataMessage\":{{\"message\":\"hello\"}}}}\n");

            // Each binary serves a device of its own (its session with Alice moves on run by run; a copied store
            // would repeat its message counters). One run beforehand makes it an account that has run: its session
            // with Alice, first sync request and pre-key check are behind it, as for a daemon restarted on a server.
            var configs = new Dictionary<string, (string Binary, string Config)> { ["this tree"] = (binary, ""), ["baseline"] = (baseline, "") };
            var environments = new Dictionary<string, List<KeyValuePair<string, string>>> { ["this tree"] = environment, ["baseline"] = [] };
            string number = "";
            foreach (var name in configs.Keys.ToList())
            {
                var config = Path.Combine(work, name == "baseline" ? "baseline" : "tree");
                Directory.CreateDirectory(config);
                Task<JsonNode?>? scan = null;
                var record = await new DeviceLinker(ServerProfile.Load(profilePath), config).LinkAsync($"bench {name}",
                    uri => scan = mock.CommandAsync("link", new JsonObject { ["provisionUrl"] = uri.OriginalString }, ct), ct);
                await scan!;
                number = record.Name;
                configs[name] = (configs[name].Binary, config);
                var warm = await RunOnceAsync(configs[name].Binary, config, number, sendLine, idleSeconds: 1, environments[name], smaps: false, ct);
                Console.WriteLine($"warm-up run ({name}): accepting {warm.AcceptingMs:F1} ms, online {warm.OnlineMs:F1} ms, send answered {warm.SendAnsweredMs:F1} ms");
            }

            var results = new Dictionary<string, List<Sample>> { ["this tree"] = [], ["baseline"] = [] };
            for (var i = 0; i < runs; i++)
            {
                foreach (var name in i % 2 == 0 ? new[] { "this tree", "baseline" } : ["baseline", "this tree"])
                {
                    results[name].Add(await RunOnceAsync(configs[name].Binary, configs[name].Config, number, sendLine, idleSeconds, environments[name],
                        smaps && i == runs - 1, ct, showLog));
                }
            }

            Console.WriteLine($"{runs} runs each, interleaved; medians (min-max):");
            Console.WriteLine($"{"",-28}{"this tree",-26}{"baseline",-26}ratio");
            Row("exec -> accepting (ms)", results, s => s.AcceptingMs, "F1");
            Row("exec -> online (ms)", results, s => s.OnlineMs, "F1");
            Row("exec -> send answered (ms)", results, s => s.SendAnsweredMs, "F1");
            Row($"idle RSS +{idleSeconds:0.#} s (MiB)", results, s => s.RssKiB / 1024.0, "F1");
            // RSS = anonymous (the process's own: heaps, stacks, GC) + file pages (the binary's code and data, shared libraries).
            Row("  of which anonymous (MiB)", results, s => s.AnonKiB / 1024.0, "F1");
            Row("CPU until then (ms)", results, s => s.CpuMs, "F0");
            Console.WriteLine($"machine load at the end: {LoadAverage()}");
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static void Row(string label, Dictionary<string, List<Sample>> results, Func<Sample, double> pick, string format)
    {
        string Cell(List<Sample> samples)
        {
            var values = samples.Select(pick).Order().ToList();
            return $"{Median(values).ToString(format, CultureInfo.InvariantCulture)} ({values[0].ToString(format, CultureInfo.InvariantCulture)}-{values[^1].ToString(format, CultureInfo.InvariantCulture)})";
        }

        var ratio = Median(results["this tree"].Select(pick).ToList()) / Median(results["baseline"].Select(pick).ToList());
        Console.WriteLine($"{label,-28}{Cell(results["this tree"]),-26}{Cell(results["baseline"]),-26}{ratio:F2}x");
    }

    private sealed record Sample(double AcceptingMs, double OnlineMs, double SendAnsweredMs, long RssKiB, long AnonKiB, double CpuMs);

    private static async Task<Sample> RunOnceAsync(string binary, string config, string number, byte[] sendLine, double idleSeconds, List<KeyValuePair<string, string>> environment,
        bool smaps, CancellationToken ct, bool showLog = false)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(binary) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var pair in environment)
        {
            start.Environment[pair.Key] = pair.Value;
        }

        foreach (var a in new[] { "--config", config, "-a", number, "daemon", "--tcp", $"127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(a);
        }

        // The daemon says READY=1 on $NOTIFY_SOCKET once its account is online (sends go out); the time it arrives is "online".
        var notifyPath = Path.Combine(Path.GetTempPath(), $"daemon-online-notify-{Environment.ProcessId}-{port}.sock");
        File.Delete(notifyPath);
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(notifyPath));
        start.Environment["NOTIFY_SOCKET"] = notifyPath;
        var clock = Stopwatch.StartNew();
        var online = ReadyAsync(notify, clock, ct);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(ct);
        _ = process.StandardOutput.ReadToEndAsync(ct);
        try
        {
            using var socket = await ConnectWhenAcceptingAsync(port, process, stderr, ct);
            var accepting = clock.Elapsed.TotalMilliseconds;
            await socket.SendAsync(sendLine, ct);
            var answer = await ReadLineAsync(socket, ct);
            var answered = clock.Elapsed.TotalMilliseconds;
            var onlineMs = await online.WaitAsync(TimeSpan.FromSeconds(30), ct);
            using (var document = JsonDocument.Parse(answer))
            {
                if (document.RootElement.GetProperty("statusCode").GetInt32() != 0)
                {
                    throw new InvalidOperationException($"{binary}: the send failed: {answer}");
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(idleSeconds), ct);
            var sample = new Sample(accepting, onlineMs, answered, StatusKiB(process.Id, "VmRSS:"), StatusKiB(process.Id, "RssAnon:"), CpuMs(process.Id));
            if (smaps)
            {
                PrintMappings(binary, process.Id);
            }

            _ = Kill(process.Id, 15);
            await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
            if (showLog)
            {
                Console.WriteLine($"--- {binary}: accepting {accepting:F1} ms, online {onlineMs:F1} ms, send answered {answered:F1} ms; its log:\n{await stderr}");
            }

            return sample;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            File.Delete(notifyPath);
        }
    }

    /// <summary>Milliseconds on <paramref name="clock"/> when a datagram with READY=1 arrives on <paramref name="notify"/>.</summary>
    private static async Task<double> ReadyAsync(Socket notify, Stopwatch clock, CancellationToken ct)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var n = await notify.ReceiveAsync(buffer, SocketFlags.None, ct);
            if (Encoding.UTF8.GetString(buffer, 0, n).Split('\n').Contains("READY=1"))
            {
                return clock.Elapsed.TotalMilliseconds;
            }
        }
    }

    private static async Task<Socket> ConnectWhenAcceptingAsync(int port, Process process, Task<string> stderr, CancellationToken ct)
    {
        while (true)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, port, ct);
                return socket;
            }
            catch (SocketException)
            {
                socket.Dispose();
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"the daemon exited with {process.ExitCode} before accepting: {await stderr}");
                }

                // A 1 ms poll: the figure is meant in milliseconds, and a spin would take a core from the daemon.
                Thread.Sleep(1);
            }
        }
    }

    private static async Task<string> ReadLineAsync(Socket socket, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        var filled = 0;
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(filled), ct);
            if (n == 0)
            {
                throw new InvalidOperationException("the daemon closed the connection");
            }

            filled += n;
            var end = Array.IndexOf(buffer, (byte)'\n', 0, filled);
            if (end >= 0)
            {
                return Encoding.UTF8.GetString(buffer, 0, end);
            }
        }
    }

    /// <summary>Publishes the CLI of <paramref name="tree"/> with NativeAOT into <paramref name="output"/>; returns the binary.</summary>
    /// <summary>
    /// The two binaries a side-by-side run compares: <c>--binary</c> (else this tree, published) and <c>--baseline</c>
    /// (else <c>--baseline-ref</c>, main by default, published); nulls when a publish failed.
    /// </summary>
    internal static async Task<(string? Binary, string? Baseline)> BinariesAsync(string[] args, string root)
    {
        var binary = DaemonLoad.Option(args, "--binary") ?? await PublishAsync(root, Path.Combine(root, "src/SignalSharp.Cli/bin/Release/net10.0/linux-x64/publish"));
        var baseline = DaemonLoad.Option(args, "--baseline") ?? await PublishBaselineAsync(root, DaemonLoad.Option(args, "--baseline-ref") ?? "main");
        return (binary, baseline);
    }

    internal static async Task<string?> PublishAsync(string tree, string output)
    {
        Console.WriteLine($"daemon-online: publishing signal-sharp (NativeAOT) from {tree} ...");
        var (code, log) = await DaemonStartup.RunToEndAsync("dotnet", tree, "publish", "src/SignalSharp.Cli", "-r", "linux-x64", "-p:PublishAot=true", "-c", "Release", "-o", output);
        if (code != 0)
        {
            Console.WriteLine(log);
            return null;
        }

        return Path.Combine(output, "signal-sharp");
    }

    /// <summary>The baseline: <paramref name="reference"/> checked out in a detached git worktree beside the temp files and published once per commit.</summary>
    internal static async Task<string?> PublishBaselineAsync(string root, string reference)
    {
        var (code, sha) = await DaemonStartup.RunToEndAsync("git", root, "rev-parse", "--verify", reference + "^{commit}");
        if (code != 0)
        {
            Console.WriteLine($"daemon-online: no commit {reference}: {sha}");
            return null;
        }

        sha = sha.Trim();
        var tree = Path.Combine(Path.GetTempPath(), $"signal-sharp-bench-baseline-{sha[..12]}");
        var binary = Path.Combine(tree, "out", "signal-sharp");
        Console.WriteLine($"daemon-online: baseline {reference} = {sha[..12]}");
        if (File.Exists(binary))
        {
            return binary;
        }

        if (!Directory.Exists(tree))
        {
            var (added, log) = await DaemonStartup.RunToEndAsync("git", root, "worktree", "add", "--detach", tree, sha);
            if (added != 0)
            {
                Console.WriteLine(log);
                return null;
            }
        }

        return await PublishAsync(tree, Path.Combine(tree, "out"));
    }

    /// <summary>Where the RSS lies: resident KiB per mapping (file name, or [heap], [anon], [stack]), largest first.</summary>
    private static void PrintMappings(string binary, int pid)
    {
        var totals = new Dictionary<string, long>();
        var current = "";
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 5 && fields[0].Contains('-', StringComparison.Ordinal) && !fields[0].EndsWith(':'))
            {
                current = fields.Length >= 6 ? Path.GetFileName(fields[5]) is { Length: > 0 } file ? file : fields[5] : "[anon]";
            }
            else if (fields.Length >= 2 && fields[0] == "Rss:")
            {
                totals[current] = totals.GetValueOrDefault(current) + long.Parse(fields[1], CultureInfo.InvariantCulture);
            }
        }

        Console.WriteLine($"resident mappings of {binary} (KiB): "
            + string.Join(", ", totals.OrderByDescending(t => t.Value).Take(12).Select(t => $"{t.Key} {t.Value}")));
        var copy = Path.Combine(Path.GetTempPath(), $"daemon-online-smaps-{Path.GetFileName(Path.GetDirectoryName(binary))}.txt");
        File.WriteAllText(copy, File.ReadAllText($"/proc/{pid}/smaps"));
        Console.WriteLine($"  (smaps kept in {copy})");
    }

    private static long StatusKiB(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }

    /// <summary>User + system CPU time of a process, from /proc (clock ticks of 10 ms on Linux).</summary>
    private static double CpuMs(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
