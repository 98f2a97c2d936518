using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using SignalSharp.Account.Linking;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Cli.Tests;

/// <summary>
/// The built daemon is killed with SIGKILL while a contact sends 200 messages; after a restart every message is
/// handed out by receive_messages, none twice (stored before acked; re-deliveries dropped as duplicates).
/// </summary>
public sealed class SigkillDurabilityMockTests
{
    private const int Count = 200;

    /// <summary>Messages sent while the daemon runs (it is killed mid-way); the rest of <see cref="Count"/> arrive while it is dead.</summary>
    private const int KilledWhileSending = 150;

    [Fact]
    public async Task All_messages_survive_a_SIGKILL_and_each_is_handed_out_once()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync(contacts: "Alice", ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-kill-").FullName;
        try
        {
            var profilePath = Path.Combine(config, "mock.json");
            mock.WriteServerProfile(profilePath);
            Task<JsonNode?>? scan = null;
            var record = await new DeviceLinker(ServerProfile.Load(profilePath), config) { OneTimePreKeyCount = 5 }.LinkAsync("kill test",
                uri => scan = mock.CommandAsync("link", new JsonObject { ["provisionUrl"] = uri.OriginalString }, ct), ct);
            await scan!;

            // Port 0 and the port the daemon logs: a port picked here could be taken by another test's listener while
            // the daemon is dead, and the probe would then reach that listener instead.
            var (daemon, listening) = StartDaemon(config, record.Name);
            var sends = new List<Task<JsonNode?>>();
            var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            try
            {
                await WaitForPortAsync(listening, daemon, ct);
                void Send(int i) => sends.Add(mock.CommandAsync("sendText", new JsonObject
                {
                    ["from"] = "alice", ["text"] = $"message {i}", ["sealed"] = i % 3 == 0, ["timestamp"] = start + i,
                }, ct));

                for (var i = 0; i < KilledWhileSending; i++)
                {
                    Send(i);
                }

                // Kill as soon as some have been stored and acked: the batched receiver may otherwise finish them all
                // first. The rest are sent while the daemon is dead, so the restart always has work left.
                while (sends.Count(t => t.IsCompleted) < 10)
                {
                    await Task.Delay(2, ct);
                }

                daemon.Kill();
                await daemon.WaitForExitAsync(ct);
                for (var i = KilledWhileSending; i < Count; i++)
                {
                    Send(i);
                }
            }
            finally
            {
                if (!daemon.HasExited)
                {
                    daemon.Kill();
                }

                daemon.Dispose();
            }

            var (restarted, relistening) = StartDaemon(config, record.Name);
            try
            {
                var port = await WaitForPortAsync(relistening, restarted, ct);
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, ct);
                var stream = client.GetStream();
                var reader = new StreamReader(stream, Encoding.UTF8);
                var bodies = new List<string>();
                while (bodies.Count < Count)
                {
                    await stream.WriteAsync("{command:'receive_messages',timeout:10000}\n"u8.ToArray(), ct);
                    var answer = JsonNode.Parse((await reader.ReadLineAsync(ct))!)!;
                    var messages = answer["messages"]!.AsArray();
                    Assert.True(messages.Count > 0, $"only {bodies.Count} of {Count} arrived");
                    bodies.AddRange(messages.Select(m => m!["body"]!.GetValue<string>()));
                }

                await Task.WhenAll(sends).WaitAsync(ct);
                Assert.Equal(Enumerable.Range(0, Count).Select(i => $"message {i}").Order(), bodies.Order());
                await stream.WriteAsync("{command:'receive_messages',timeout:500}\n"u8.ToArray(), ct);
                Assert.Empty(JsonNode.Parse((await reader.ReadLineAsync(ct))!)!["messages"]!.AsArray());
            }
            finally
            {
                restarted.Kill();
                await restarted.WaitForExitAsync(CancellationToken.None);
            }
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    private static (Process Daemon, Task<int> Port) StartDaemon(string config, string number)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "signal-sharp.dll"), "--config", config, "-a", number, "daemon", "--tcp", "127.0.0.1:0" })
        {
            start.ArgumentList.Add(arg);
        }

        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            const string Marker = "Listening on 127.0.0.1:";
            var at = e.Data?.IndexOf(Marker, StringComparison.Ordinal) ?? -1;
            if (at >= 0)
            {
                var digits = new string(e.Data![(at + Marker.Length)..].TakeWhile(char.IsAsciiDigit).ToArray());
                port.TrySetResult(int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture));
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, port.Task);
    }

    private static async Task<int> WaitForPortAsync(Task<int> listening, Process daemon, CancellationToken ct)
    {
        while (!listening.IsCompleted)
        {
            Assert.False(daemon.HasExited, "the daemon exited");
            await Task.WhenAny(listening, Task.Delay(100, ct));
            ct.ThrowIfCancellationRequested();
        }

        return await listening;
    }
}
