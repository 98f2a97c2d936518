using System.Diagnostics;
using System.Net;
using System.Text;
using SignalSharp.Daemon.Server;

namespace SignalSharp.Bench.Daemon;

/// <summary>
/// Load generator for the TCP daemon: commands answered without a server (send_message without recipient →
/// INVALID_RECIPIENT; receive_messages with timeout 0), over 1 and 64 loopback connections. Two shapes per case:
/// closed loop (one command in flight per connection: latency p50/p99 and commands/s) and pipelined (batches of 32
/// per write: the throughput a pipelining client gets). The daemon runs in this process (a DaemonServer with the
/// benchmark's NullAccount) unless --endpoint HOST:PORT names one running elsewhere; either way the load generator
/// shares the machine's 2 cores with it.
/// </summary>
internal static class DaemonLoad
{
    private const int PipelineDepth = 32;

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = double.Parse(Option(args, "--seconds") ?? "3", System.Globalization.CultureInfo.InvariantCulture);
        var external = Option(args, "--endpoint");
        DaemonServer? server = null;
        System.Diagnostics.Process? host = null;
        IPEndPoint endPoint;
        if (args.Contains("--aot"))
        {
            var path = await DaemonStartup.PublishHostAsync(DaemonStartup.RepositoryRoot());
            if (path is null)
            {
                return 1;
            }

            (host, endPoint) = await DaemonStartup.StartHostAsync(path);
        }
        else if (external is null)
        {
            server = new DaemonServer(new NullAccount(), new DaemonOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
            server.Start();
            endPoint = server.LocalEndPoint!;
        }
        else
        {
            endPoint = IPEndPoint.Parse(external);
        }

        var where = host is not null ? "NativeAOT daemon host (separate process)" : server is null ? "external daemon" : "in-process daemon";
        Console.WriteLine($"daemon-load: {where} at {endPoint}, {seconds:0.#} s per case, {Environment.ProcessorCount} cores");
        // CPU time per answered command: the daemon's own when it runs in its own process (--aot), else the whole
        // process's (daemon and load generator together). Unlike commands/s it barely depends on other load.
        Func<double> cpuSeconds = host is not null ? () => ProcessCpuSeconds(host.Id) : () => Environment.CpuUsage.TotalTime.TotalSeconds;
        Console.WriteLine($"load average before: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine($"{"case",-34} {"conns",5} {"shape",-10} {"cmd/s",10} {"p50 µs",8} {"p99 µs",8} {(host is not null ? "daemon CPU µs/cmd" : "process CPU µs/cmd"),18}");
        var cases = new (string Name, string Command)[]
        {
            ("send_message → INVALID_RECIPIENT", """{"command":"send_message","reqId":"b","dataMessage":{"message":"x"}}"""),
            ("receive_messages timeout 0", """{"command":"receive_messages","reqId":"b","timeout":0}"""),
        };

        foreach (var (name, command) in cases)
        {
            var line = Encoding.UTF8.GetBytes(command + "\n");
            foreach (var connections in new[] { 1, 64 })
            {
                await ClosedLoopAsync(endPoint, name, line, connections, seconds, cpuSeconds);
                await PipelinedAsync(endPoint, name, line, connections, seconds, cpuSeconds);
            }
        }

        if (server is not null)
        {
            await server.DisposeAsync();
        }

        if (host is not null)
        {
            await DaemonStartup.StopHostAsync(host);
        }

        return 0;
    }

    private static async Task ClosedLoopAsync(IPEndPoint endPoint, string name, byte[] line, int connections, double seconds, Func<double> cpuSeconds)
    {
        var clients = await ConnectAsync(endPoint, connections);
        var phase = 0;   // 0 warm-up, 1 measuring, 2 done
        var latencies = clients.Select(_ => new List<long>(1 << 16)).ToArray();
        var tasks = clients.Select((c, i) => Task.Run(async () =>
        {
            await c.ClosedLoopAsync(line, latencies[i], () => Volatile.Read(ref phase) == 0, record: false);
            await c.ClosedLoopAsync(line, latencies[i], () => Volatile.Read(ref phase) == 1, record: true);
        })).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(Math.Min(1, seconds / 3)));
        var clock = Stopwatch.StartNew();
        var cpuBefore = cpuSeconds();
        Volatile.Write(ref phase, 1);
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        Volatile.Write(ref phase, 2);
        var elapsed = clock.Elapsed.TotalSeconds;
        await Task.WhenAll(tasks);
        var cpu = cpuSeconds() - cpuBefore;
        await DisposeAsync(clients);

        var all = latencies.SelectMany(l => l).Order().ToArray();
        var rate = all.Length / elapsed;
        Console.WriteLine($"{name,-34} {connections,5} {"closed",-10} {rate,10:N0} {Micros(all, 0.50),8:N1} {Micros(all, 0.99),8:N1} {cpu * 1e6 / Math.Max(1, all.Length),18:N1}");
    }

    private static async Task PipelinedAsync(IPEndPoint endPoint, string name, byte[] line, int connections, double seconds, Func<double> cpuSeconds)
    {
        var batch = Enumerable.Repeat(line, PipelineDepth).SelectMany(b => b).ToArray();
        var clients = await ConnectAsync(endPoint, connections);
        var phase = 0;
        var warm = clients.Select(c => Task.Run(() => c.PipelinedAsync(batch, PipelineDepth, () => Volatile.Read(ref phase) == 0))).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(Math.Min(1, seconds / 3)));
        Volatile.Write(ref phase, 1);
        await Task.WhenAll(warm);

        var clock = Stopwatch.StartNew();
        var cpuBefore = cpuSeconds();
        var tasks = clients.Select(c => Task.Run(() => c.PipelinedAsync(batch, PipelineDepth, () => Volatile.Read(ref phase) == 1))).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        Volatile.Write(ref phase, 2);
        var answered = (await Task.WhenAll(tasks)).Sum();
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpu = cpuSeconds() - cpuBefore;
        await DisposeAsync(clients);
        Console.WriteLine($"{name,-34} {connections,5} {$"pipe {PipelineDepth}",-10} {answered / elapsed,10:N0} {"",8} {"",8} {cpu * 1e6 / Math.Max(1, answered),18:N1}");
    }

    private static async Task<LoadClient[]> ConnectAsync(IPEndPoint endPoint, int count)
    {
        var clients = new LoadClient[count];
        for (var i = 0; i < count; i++)
        {
            clients[i] = await LoadClient.ConnectAsync(endPoint);
        }

        return clients;
    }

    private static async Task DisposeAsync(LoadClient[] clients)
    {
        foreach (var c in clients)
        {
            await c.DisposeAsync();
        }
    }

    private static double Micros(long[] sorted, double quantile) =>
        sorted.Length == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Length - 1, quantile * sorted.Length)] * 1e6 / Stopwatch.Frequency;

    /// <summary>utime + stime of a process from /proc, in seconds (clock ticks are 1/100 s on Linux).</summary>
    private static double ProcessCpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>Every <c>--env NAME=VALUE</c> of <paramref name="args"/>: variables for this tree's binary only (GC knobs, say).</summary>
    internal static List<KeyValuePair<string, string>> EnvironmentOptions(string[] args) =>
    [
        .. args.Select((a, i) => (a, i)).Where(p => p.a == "--env" && p.i + 1 < args.Length)
            .Select(p => args[p.i + 1].Split('=', 2)).Select(p => KeyValuePair.Create(p[0], p.Length > 1 ? p[1] : "")),
    ];

    internal static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
