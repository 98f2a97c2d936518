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
/// The built daemon with `--log-format json -v` against the mock: a message in each direction, then every line it
/// wrote to stderr is one JSON object a log shipper can read, with level and category, and none carries the message
/// texts or the account's number.
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
            var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            using var daemon = Start(config, record.Name, lines, listening);
            try
            {
                var port = await listening.Task.WaitAsync(ct);
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, ct);
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

    private static Process Start(string config, string number, List<string> lines, TaskCompletionSource<int> listening)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "signal-sharp.dll"), "--config", config, "-a", number, "--log-format", "json", "-v", "daemon", "--tcp", "127.0.0.1:0" })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (lines)
            {
                lines.Add(e.Data);
            }

            const string Marker = "Listening on 127.0.0.1:";
            var at = e.Data.IndexOf(Marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                var digits = new string(e.Data[(at + Marker.Length)..].TakeWhile(char.IsAsciiDigit).ToArray());
                listening.TrySetResult(int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture));
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
