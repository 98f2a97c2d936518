using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SignalSharp.Account.Linking;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Bench.Daemon;

/// <summary>
/// Issue 15's JSON-RPC figures beside the seed protocol's, one NativeAOT daemon with a linked account on Signal's mock
/// server serving both, in the same run:
///  - send round trip to Alice: the seed's send_message on TCP, JSON-RPC send on TCP, JSON-RPC send as HTTP POST
///    /api/v1/rpc, interleaved one by one (each answer comes after the mock's libsignal decrypted the message);
///  - receive latency: from just before the harness is asked to have Alice send a message until the daemon's client
///    has it: a waiting seed receive_messages, a JSON-RPC subscribeReceive notification on TCP, an SSE event on
///    GET /api/v1/events; interleaved sample by sample (one consumer at a time, the order rotating);
///  - one-shot `signal-sharp -a N send -m T R` through the running daemon, exec to exit, beside `signal-sharp
///    --version` (exec to exit of the same binary doing nothing) in the same run.
/// Usage: jsonrpc-load [--binary PATH] [--sends N] [--receives N] [--oneshots N]
/// </summary>
internal static class JsonRpcLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var sends = Count(args, "--sends", 30);
        var receives = Count(args, "--receives", 20);
        var oneShots = Count(args, "--oneshots", 15);
        var root = DaemonStartup.RepositoryRoot();
        Console.WriteLine($"jsonrpc-load: {Environment.ProcessorCount} cores, load {LoadAverage()}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        var binary = DaemonLoad.Option(args, "--binary") ?? await PublishAsync(root);
        if (binary is null)
        {
            return 1;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(30));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync(contacts: "Alice", ct);
        var work = Directory.CreateTempSubdirectory("signal-sharp-bench-jsonrpc-").FullName;
        Process? daemon = null;
        try
        {
            var profilePath = Path.Combine(work, "mock.json");
            mock.WriteServerProfile(profilePath);
            var config = Path.Combine(work, "config");
            Directory.CreateDirectory(config);
            Task<JsonNode?>? scan = null;
            var record = await new DeviceLinker(ServerProfile.Load(profilePath), config).LinkAsync("bench jsonrpc",
                uri => scan = mock.CommandAsync("link", new JsonObject { ["provisionUrl"] = uri.OriginalString }, ct), ct);
            await scan!;
            var number = record.Name;
            var alice = mock.Contact("alice");
            var aliceAci = alice["aci"]!.GetValue<string>();
            var aliceNumber = alice["number"]!.GetValue<string>();

            var tcpPort = FreePort();
            var httpPort = FreePort();
            daemon = Start(binary, "--config", config, "-a", number, "daemon", "--tcp", $"127.0.0.1:{tcpPort}", "--http", $"127.0.0.1:{httpPort}",
                "--receive-mode", "manual");
            using var channels = new Channels(tcpPort, httpPort);
            // The one-shot send names Alice by number once the phone's contact sync told it, else by service id.
            var oneShotRecipient = await channels.WaitForContactAsync(aliceNumber, daemon, ct) ? aliceNumber : aliceAci;
            Console.WriteLine($"daemon up; the one-shot send names Alice by {(oneShotRecipient == aliceNumber ? "number" : "service id")}");

            var sendRows = await MeasureSendsAsync(channels, aliceAci, sends, ct);
            Console.WriteLine("sends done");
            var receiveRows = await MeasureReceivesAsync(channels, mock, receives, ct);
            Console.WriteLine("receives done");
            var oneShotRows = await MeasureOneShotsAsync(binary, config, number, oneShotRecipient, oneShots, ct);

            Console.WriteLine($"medians (p90; min-max), ratio against the first row of each block; load at the end {LoadAverage()}");
            Print("send round trip to Alice (ms)", sendRows);
            Print("receive latency, Alice's send -> client has it (ms)", receiveRows);
            Print("one-shot process, exec -> exit (ms)", oneShotRows);
            return 0;
        }
        finally
        {
            if (daemon is { HasExited: false })
            {
                daemon.Kill();
                await daemon.WaitForExitAsync(CancellationToken.None);
            }

            daemon?.Dispose();
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<List<(string, List<double>)>> MeasureSendsAsync(Channels channels, string alice, int count, CancellationToken ct)
    {
        var seed = new List<double>();
        var tcp = new List<double>();
        var http = new List<double>();
        var bareHttp = new List<double>();
        await using var seedLine = await channels.LineAsync(ct);
        await using var rpcLine = await channels.LineAsync(ct);
        await using var bareConnection = await channels.BareHttpAsync(ct);
        var steps = new (List<double> Samples, Func<int, Task<string>> Send, string Success)[]
        {
            (seed, i => seedLine.AskAsync($$$"""{"command":"send_message","recipient":"{{{alice}}}","dataMessage":{"message":"seed {{{i}}}"}}""", ct), "\"statusCode\":0"),
            (tcp, i => rpcLine.AskAsync($$$"""{"jsonrpc":"2.0","id":{{{i}}},"method":"send","params":{"recipient":"{{{alice}}}","message":"tcp {{{i}}}"}}""", ct), "\"SUCCESS\""),
            (http, i => channels.PostAsync($$$"""{"jsonrpc":"2.0","id":{{{i}}},"method":"send","params":{"recipient":"{{{alice}}}","message":"http {{{i}}}"}}""", ct), "\"SUCCESS\""),
            (bareHttp, i => bareConnection.PostAsync($$$"""{"jsonrpc":"2.0","id":{{{i}}},"method":"send","params":{"recipient":"{{{alice}}}","message":"bare {{{i}}}"}}""", ct), "\"SUCCESS\""),
        };
        for (var i = -1; i < count; i++)
        {
            // Round -1 warms each path up (JIT-free, but the first use opens sessions and connections); rotating the
            // order spreads whatever the previous send left running evenly.
            for (var k = 0; k < steps.Length; k++)
            {
                var step = steps[(k + Math.Max(i, 0)) % steps.Length];
                var clock = Stopwatch.StartNew();
                var answer = await step.Send(i);
                var ms = clock.Elapsed.TotalMilliseconds;
                if (!answer.Contains(step.Success, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException("a send failed: " + answer);
                }

                if (i >= 0)
                {
                    step.Samples.Add(ms);
                }
            }
        }

        return [("seed send_message (TCP)", seed), ("JSON-RPC send (TCP)", tcp), ("JSON-RPC send (HTTP POST, HttpClient)", http), ("JSON-RPC send (HTTP POST, bare socket)", bareHttp)];
    }

    private static async Task<List<(string, List<double>)>> MeasureReceivesAsync(Channels channels, MockServer mock, int count, CancellationToken ct)
    {
        var channelsByName = new (string Name, Func<CancellationToken, Task<IReceiver>> Open)[]
        {
            ("seed receive_messages (TCP)", channels.SeedReceiverAsync),
            ("JSON-RPC subscribeReceive (TCP)", channels.SubscriptionAsync),
            ("JSON-RPC SSE /api/v1/events", channels.EventStreamAsync),
        };
        var results = channelsByName.ToDictionary(c => c.Name, _ => new List<double>());
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = -1; i < count; i++)
        {
            // Interleaved, one consumer at a time (so each message has one place to go), the order rotating: the
            // load's drift lands on every channel alike. Each consumer is closed before the next opens, so a message
            // written to one that just closed must come back to the next (none lost).
            for (var k = 0; k < channelsByName.Length; k++)
            {
                var (name, open) = channelsByName[(k + Math.Max(i, 0)) % channelsByName.Length];
                await using var receiver = await open(ct);
                var marker = $"rx-{++timestamp}";
                var clock = Stopwatch.StartNew();
                var waiting = receiver.WaitForAsync(marker, ct);
                await mock.CommandAsync("sendText", new JsonObject { ["from"] = "alice", ["text"] = marker, ["timestamp"] = timestamp }, ct);
                try
                {
                    await waiting.WaitAsync(TimeSpan.FromSeconds(10), ct);
                }
                catch (TimeoutException)
                {
                    // Reported, not hidden: how late it came (or that it did not within 60 s more).
                    var late = await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromSeconds(60), ct)) == waiting;
                    Console.WriteLine($"{name}: sample {i}: Alice's message {marker} reached the client {(late ? $"only after {clock.Elapsed.TotalSeconds:F1} s" : "not within 70 s")}");
                    if (!late)
                    {
                        throw new InvalidOperationException($"{name}: {marker} lost");
                    }
                }

                if (i >= 0)
                {
                    results[name].Add(clock.Elapsed.TotalMilliseconds);
                }
            }
        }

        return [.. channelsByName.Select(c => (c.Name, results[c.Name]))];
    }

    private static async Task<List<(string, List<double>)>> MeasureOneShotsAsync(string binary, string config, string number, string recipient, int count,
        CancellationToken ct)
    {
        var version = new List<double>();
        var send = new List<double>();
        for (var i = -1; i < count; i++)
        {
            foreach (var (samples, arguments) in new[]
            {
                (version, new[] { "--version" }),
                (send, ["--config", config, "-a", number, "send", "-m", $"one-shot {i}", recipient]),
            })
            {
                var clock = Stopwatch.StartNew();
                using var process = Start(binary, arguments);
                var stdout = process.StandardOutput.ReadToEndAsync(ct);
                var stderr = process.StandardError.ReadToEndAsync(ct);
                await process.WaitForExitAsync(ct);
                var ms = clock.Elapsed.TotalMilliseconds;
                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException($"{string.Join(' ', arguments)} exited with {process.ExitCode}: {await stdout}{await stderr}");
                }

                if (i >= 0)
                {
                    samples.Add(ms);
                }
            }
        }

        return [("signal-sharp --version", version), ("signal-sharp -a N send -m T R (via the daemon)", send)];
    }

    private static void Print(string title, List<(string Name, List<double> Samples)> rows)
    {
        Console.WriteLine(title);
        var baseline = Median(rows[0].Samples);
        foreach (var (name, samples) in rows)
        {
            var sorted = samples.Order().ToList();
            var median = Median(sorted);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-52}{median,8:F1} ({sorted[(int)Math.Ceiling(sorted.Count * 0.9) - 1]:F1}; {sorted[0]:F1}-{sorted[^1]:F1})  {median / baseline:F2}x  n={sorted.Count}"));
        }
    }

    private static Process Start(string binary, params string[] arguments)
    {
        var start = new ProcessStartInfo(binary) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    private static async Task<string?> PublishAsync(string root)
    {
        var output = Path.Combine(root, "src/SignalSharp.Cli/bin/Release/net10.0/linux-x64/publish");
        Console.WriteLine("jsonrpc-load: publishing signal-sharp (NativeAOT) ...");
        var (code, log) = await DaemonStartup.RunToEndAsync("dotnet", root, "publish", "src/SignalSharp.Cli", "-r", "linux-x64", "-p:PublishAot=true", "-c", "Release", "-o", output);
        if (code != 0)
        {
            Console.WriteLine(log);
            return null;
        }

        return Path.Combine(output, "signal-sharp");
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static int Count(string[] args, string name, int fallback) =>
        DaemonLoad.Option(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
