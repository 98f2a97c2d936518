using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SignalSharp.Account.Linking;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Cli.Tests.Hosting;

/// <summary>
/// The built daemon as a systemd service runs it: started by socket activation (systemd-socket-activate holds the
/// port and starts the daemon on the first connection, handing it the listening socket) with `--log-format json -v`,
/// against the mock. A message goes each way over that first connection; then every line the daemon wrote to stderr
/// is one JSON object a log shipper can read, with level and category, and none carries the message texts or a number.
/// </summary>
public sealed class JsonLogMockTests
{
    [Fact]
    public async Task Json_logs_are_one_object_per_line_and_never_carry_message_text_or_the_number()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync(contacts: "Alice", ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-jsonlog-").FullName;
        try
        {
            var profilePath = Path.Combine(config, "mock.json");
            mock.WriteServerProfile(profilePath);
            Task<JsonNode?>? scan = null;
            var record = await new DeviceLinker(ServerProfile.Load(profilePath), config) { OneTimePreKeyCount = 5 }.LinkAsync("json log test",
                uri => scan = mock.CommandAsync("link", new JsonObject { ["provisionUrl"] = uri.OriginalString }, ct), ct);
            await scan!;
            var alice = mock.Contact("alice")["number"]!.GetValue<string>();

            var lines = new List<string>();
            var port = Support.RunningDaemon.FreePort();
            using var daemon = Start(config, record.Name, port, lines);
            try
            {
                using var client = await ConnectAsync(port, daemon, ct);
                var stream = client.GetStream();
                var reader = new StreamReader(stream, Encoding.UTF8);

                await mock.CommandAsync("sendText", new JsonObject { ["from"] = "alice", ["text"] = "inbound-secret-7f3a" }, ct);
                await stream.WriteAsync("{command:'receive_messages',timeout:20000}\n"u8.ToArray(), ct);
                var received = JsonNode.Parse((await reader.ReadLineAsync(ct))!)!["messages"]!.AsArray();
                Assert.Equal("inbound-secret-7f3a", Assert.Single(received)!["body"]!.GetValue<string>());

                var send = new JsonObject { ["command"] = "send_message", ["recipient"] = alice, ["dataMessage"] = new JsonObject { ["message"] = "outbound-secret-91c2" } };
                await stream.WriteAsync(Encoding.UTF8.GetBytes(send.ToJsonString() + "\n"), ct);
                Assert.Equal(0, JsonNode.Parse((await reader.ReadLineAsync(ct))!)!["statusCode"]!.GetValue<int>());
                var delivered = await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice" }, ct);
                Assert.Equal("outbound-secret-91c2", delivered!["body"]!.GetValue<string>());
            }
            finally
            {
                daemon.Kill();
                await daemon.WaitForExitAsync(CancellationToken.None);
            }

            string[] logged;
            lock (lines)
            {
                logged = [.. lines];
            }

            // The daemon served the socket it was handed (without it, no channel option means 127.0.0.1:6789).
            Assert.Contains(logged, line => line.Contains($"Listening on 127.0.0.1:{port}", StringComparison.Ordinal));
            // Debug lines were asked for (-v) and written: the checks below read real output, not an empty log.
            Assert.Contains(logged, line => line.Contains("\"LogLevel\":\"Debug\"", StringComparison.Ordinal));
            foreach (var line in logged)
            {
                using var entry = JsonDocument.Parse(line);
                Assert.Equal(JsonValueKind.Object, entry.RootElement.ValueKind);
                Assert.True(entry.RootElement.TryGetProperty("LogLevel", out _), line);
                Assert.StartsWith("SignalSharp", entry.RootElement.GetProperty("Category").GetString(), StringComparison.Ordinal);
                Assert.DoesNotContain("inbound-secret-7f3a", line, StringComparison.Ordinal);
                Assert.DoesNotContain("outbound-secret-91c2", line, StringComparison.Ordinal);
                Assert.DoesNotContain(record.Name.TrimStart('+'), line, StringComparison.Ordinal);
                Assert.DoesNotContain(alice.TrimStart('+'), line, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    private static Process Start(string config, string number, int port, List<string> lines)
    {
        var start = new ProcessStartInfo("systemd-socket-activate") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            "-l", $"127.0.0.1:{port}", "dotnet", Path.Combine(AppContext.BaseDirectory, "signal-sharp.dll"),
            "--config", config, "-a", number, "--log-format", "json", "-v", "daemon",
        })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        var execed = false;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            // systemd-socket-activate's own lines end with "Execing …"; every line after it is the daemon's.
            lock (lines)
            {
                if (execed && e.Data is { } line)
                {
                    lines.Add(line);
                }

                execed |= e.Data?.StartsWith("Execing ", StringComparison.Ordinal) == true;
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<TcpClient> ConnectAsync(int port, Process activator, CancellationToken ct)
    {
        // systemd-socket-activate listens once it started; the daemon itself starts on this first connection.
        while (true)
        {
            Assert.False(activator.HasExited, "systemd-socket-activate exited");
            var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port, ct);
                return client;
            }
            catch (SocketException)
            {
                client.Dispose();
                await Task.Delay(50, ct);
            }
        }
    }
}
