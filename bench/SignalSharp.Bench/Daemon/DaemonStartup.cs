using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace SignalSharp.Bench.Daemon;

/// <summary>
/// Start-to-listening time and idle RSS of the daemon as NativeAOT code. The shipped `signal-sharp daemon` refuses
/// to start without a linked account (none can exist before the account store lands), so two things are measured:
///  1. the published signal-sharp binary itself, from exec to its exit at the account check;
///  2. a benchmark-only NativeAOT host that runs the very same CLI code (CliApp.RunAsync: option parsing, logging,
///     account lookup, DaemonServer) with the benchmark's NullAccount standing in for the account store. It is
///     generated and published into a temporary directory; the shipped binary contains no such account.
/// For the host: time from process start until a TCP connect succeeds, VmRSS after 1 s idle, VmRSS after one
/// command, and the exit code and time after SIGTERM.
/// </summary>
internal static class DaemonStartup
{
    private const string Account = "+4366412345678";

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = int.Parse(DaemonLoad.Option(args, "--runs") ?? "10", System.Globalization.CultureInfo.InvariantCulture);
        var root = RepositoryRoot();
        var config = Directory.CreateTempSubdirectory("signal-sharp-bench-config").FullName;

        var binary = DaemonLoad.Option(args, "--binary")
            ?? Path.Combine(root, "src/SignalSharp.Cli/bin/Release/net10.0/linux-x64/publish/signal-sharp");
        if (!File.Exists(binary))
        {
            Console.WriteLine("daemon-startup: publishing signal-sharp (NativeAOT) ...");
            var (code, output) = await RunToEndAsync("dotnet", root, "publish", "src/SignalSharp.Cli", "-r", "linux-x64", "-p:PublishAot=true", "-c", "Release");
            Console.WriteLine($"  publish exit {code}, {CountWarnings(output)} warning lines");
        }

        var toAccountCheck = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            var (code, _) = await RunToEndAsync(binary, root, "--config", config, "-a", Account, "daemon");
            toAccountCheck.Add(clock.Elapsed.TotalMilliseconds);
            if (code == 0)
            {
                Console.WriteLine("  unexpected: signal-sharp daemon started without an account");
                return 1;
            }
        }

        Console.WriteLine($"signal-sharp (NativeAOT) exec to exit at the account check: median {Median(toAccountCheck):0.0} ms, max {toAccountCheck.Max():0.0} ms ({runs} runs)");

        var host = await PublishHostAsync(root);
        if (host is null)
        {
            return 1;
        }

        var listening = new List<double>();
        var idleRss = new List<long>();
        var busyRss = new List<long>();
        var stopMs = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var port = FreePort();
            var start = new ProcessStartInfo(host) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in new[] { "--config", config, "-a", Account, "daemon", "--tcp", $"127.0.0.1:{port}" })
            {
                start.ArgumentList.Add(a);
            }

            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            _ = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            using var client = await ConnectWhenListeningAsync(port, process);
            listening.Add(clock.Elapsed.TotalMilliseconds);

            await Task.Delay(1000);
            idleRss.Add(RssKiB(process.Id));
            await client.SendAsync("{\"command\":\"receive_messages\",\"timeout\":0}\n"u8.ToArray());
            var buffer = new byte[4096];
            var n = await client.ReceiveAsync(buffer);
            if (!Encoding.UTF8.GetString(buffer, 0, n).Contains("\"statusCode\":0"))
            {
                Console.WriteLine($"  unexpected answer: {Encoding.UTF8.GetString(buffer, 0, n)}");
                return 1;
            }

            await Task.Delay(200);
            busyRss.Add(RssKiB(process.Id));

            var stopClock = Stopwatch.StartNew();
            _ = Kill(process.Id, 15);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            stopMs.Add(stopClock.Elapsed.TotalMilliseconds);
            if (process.ExitCode != 0)
            {
                Console.WriteLine($"  unexpected exit code after SIGTERM: {process.ExitCode}");
                return 1;
            }
        }

        Console.WriteLine($"daemon host (NativeAOT, same CLI code) start to listening: median {Median(listening):0.0} ms, max {listening.Max():0.0} ms ({runs} runs)");
        Console.WriteLine($"  idle RSS after 1 s: median {Median(idleRss.Select(x => (double)x).ToList()) / 1024:0.0} MiB; after one command: {Median(busyRss.Select(x => (double)x).ToList()) / 1024:0.0} MiB");
        Console.WriteLine($"  SIGTERM to exit 0 (idle, one open connection): median {Median(stopMs):0.0} ms");
        Directory.Delete(config, recursive: true);
        return 0;
    }

    internal static async Task<string?> PublishHostAsync(string root)
    {
        var dir = Path.Combine(Path.GetTempPath(), "signal-sharp-bench-daemon-host");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "SignalSharp.Bench.DaemonHost.csproj"), HostProject
            .Replace("@CLI@", Path.Combine(root, "src/SignalSharp.Cli/SignalSharp.Cli.csproj"))
            .Replace("@NULL_ACCOUNT@", Path.Combine(root, "bench/SignalSharp.Bench/Daemon/NullAccount.cs")));
        await File.WriteAllTextAsync(Path.Combine(dir, "Program.cs"), HostProgram);
        var output = Path.Combine(dir, "out");
        Console.WriteLine($"daemon-startup: publishing the benchmark host (NativeAOT) in {dir} ...");
        var (code, log) = await RunToEndAsync("dotnet", dir, "publish", "-c", "Release", "-r", "linux-x64", "-o", output);
        if (code != 0)
        {
            Console.WriteLine(log);
            return null;
        }

        Console.WriteLine($"  published, {CountWarnings(log)} warning lines");
        return Path.Combine(output, "SignalSharp.Bench.DaemonHost");
    }

    /// <summary>Starts the benchmark host on a free loopback port and waits until it listens.</summary>
    internal static async Task<(Process Host, IPEndPoint EndPoint)> StartHostAsync(string path)
    {
        var port = FreePort();
        var config = Directory.CreateTempSubdirectory("signal-sharp-bench-config").FullName;
        var start = new ProcessStartInfo(path) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "--config", config, "-a", Account, "daemon", "--tcp", $"127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(a);
        }

        var process = Process.Start(start)!;
        _ = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var probe = await ConnectWhenListeningAsync(port, process);
        return (process, new IPEndPoint(IPAddress.Loopback, port));
    }

    internal static async Task StopHostAsync(Process host)
    {
        _ = Kill(host.Id, 15);
        await host.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        host.Dispose();
    }

    private static async Task<Socket> ConnectWhenListeningAsync(int port, Process process)
    {
        while (true)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, port);
                return socket;
            }
            catch (SocketException)
            {
                socket.Dispose();
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"the host exited with {process.ExitCode} before listening");
                }

                Thread.Sleep(1);
            }
        }
    }

    private static long RssKiB(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }

    internal static async Task<(int Code, string Output)> RunToEndAsync(string file, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = workingDirectory };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    private static int CountWarnings(string log) => log.Split('\n').Count(l => l.Contains("warning", StringComparison.OrdinalIgnoreCase) && !l.Contains(" 0 Warning", StringComparison.Ordinal));

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SignalSharp.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("run from inside the repository");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private const string HostProject = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <AssemblyName>SignalSharp.Bench.DaemonHost</AssemblyName>
            <PublishAot>true</PublishAot>
            <InvariantGlobalization>true</InvariantGlobalization>
            <ValidateExecutableReferencesMatchSelfContained>false</ValidateExecutableReferencesMatchSelfContained>
          </PropertyGroup>
          <ItemGroup>
            <ProjectReference Include="@CLI@" />
            <!-- The bench's own stand-in account, compiled in rather than written again. -->
            <Compile Include="@NULL_ACCOUNT@" />
          </ItemGroup>
        </Project>
        """;

    private const string HostProgram = """
        // Benchmark-only host: the real signal-sharp CLI code with a stand-in account, for start-up and RSS figures.
        using SignalSharp.Cli;
        using SignalSharp.Cli.Accounts;
        using SignalSharp.Account.Api;
        using SignalSharp.Bench.Daemon;

        return await CliApp.RunAsync(args, Console.Out, Console.Error, new CliServices(new BenchAccounts(), CancellationToken.None));

        sealed class BenchAccounts : IAccountOpener
        {
            private readonly NullAccount account = new();

            public Task<ISignalAccount?> OpenAsync(string phoneNumber, string configDirectory, CancellationToken cancellationToken) =>
                Task.FromResult<ISignalAccount?>(account);
        }
        """;
}
