using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SignalSharp.Faults.Tests.Support;

/// <summary>
/// The built `signal-sharp daemon` as a separate process, so that it can be killed with SIGKILL: no finally block,
/// no flush, no goodbye to the server. Tracks the highest resident memory any of its runs reached.
/// </summary>
/// <param name="serverProfile">A server profile the daemon uses instead of the one stored with the account (`--server`).</param>
internal sealed class DaemonProcess(string config, string number, int port, string? serverProfile = null) : IAsyncDisposable
{
    private readonly List<string> log = [];
    private Process? process;

    public int Port => port;

    /// <summary>Peak resident set (VmHWM) over every run so far, in bytes.</summary>
    public long PeakResidentBytes { get; private set; }

    /// <summary>The last lines the daemon wrote to stderr, for a failing assertion's message.</summary>
    public string RecentLog
    {
        get
        {
            lock (log)
            {
                return string.Join('\n', log.TakeLast(40));
            }
        }
    }

    /// <summary>Whether any line the daemon wrote to stderr so far, over all its runs, contains <paramref name="text"/>.</summary>
    public bool LogContains(string text)
    {
        lock (log)
        {
            return log.Exists(line => line.Contains(text, StringComparison.Ordinal));
        }
    }

    public async Task StartAsync(CancellationToken ct)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        string[] server = serverProfile is null ? [] : ["--server", serverProfile];
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "signal-sharp.dll"), "--config", config, "--verbose", "-a", number, "daemon", "--tcp", $"127.0.0.1:{port}" }.Concat(server))
        {
            start.ArgumentList.Add(arg);
        }

        int firstLine;
        lock (log)
        {
            firstLine = log.Count;
        }

        process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (log)
                {
                    log.Add(line);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Wait for this run's own "Listening on" line rather than for a port that accepts: a probe that merely
        // connects may reach another process that took the port after FreePort let it go (or a socket's
        // self-connect while nothing listens yet), and the test then talks to a stranger.
        var listening = $"Listening on 127.0.0.1:{port} ";
        for (var attempt = 0; ; attempt++)
        {
            Assert.False(process.HasExited, "the daemon exited:\n" + RecentLog);
            if (LinesSince(firstLine).Any(line => line.Contains(listening, StringComparison.Ordinal)))
            {
                return;
            }

            Assert.True(attempt < 1200, "the daemon did not say it was listening:\n" + RecentLog);
            await Task.Delay(50, ct);
        }
    }

    private List<string> LinesSince(int first)
    {
        lock (log)
        {
            return log.Skip(first).ToList();
        }
    }

    /// <summary>SIGKILL, then wait until the process is gone.</summary>
    public async Task KillAsync(CancellationToken ct)
    {
        if (process is null)
        {
            return;
        }

        SamplePeak();
        if (!process.HasExited)
        {
            process.Kill();
        }

        await process.WaitForExitAsync(ct);
        process.Dispose();
        process = null;
    }

    /// <summary>Reads the kernel's high-water mark of the process's resident memory.</summary>
    public void SamplePeak()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{process!.Id}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kb = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                    PeakResidentBytes = Math.Max(PeakResidentBytes, kb * 1024);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // The process is already gone: its last sample stands.
        }
    }

    public async ValueTask DisposeAsync() => await KillAsync(CancellationToken.None);

    /// <summary>A port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
