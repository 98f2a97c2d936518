using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SignalSharp.Cli.Accounts;
using SignalSharp.Interop.Testing;
using Xunit.Abstractions;
using static SignalSharp.Interop.Testing.MockServerMedia;

namespace SignalSharp.Cli.Tests;

/// <summary>
/// Attachments and reactions through the daemon's TCP protocol against the mock: a 30 MiB attachment each way
/// (byte-exact; time and this process's peak working set printed, never asserted), a corrupted download as a
/// status-8 item beside the message's text, ignoreAttachments, and a received reaction shaped as send_reaction's.
/// </summary>
public sealed class DaemonMediaMockTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Thirty_MiB_each_way_a_corrupted_download_and_a_reaction_through_the_daemon()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync(contacts: "Alice", ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-cli-media-").FullName;
        try
        {
            var profile = Path.Combine(config, "mock.json");
            mock.WriteServerProfile(profile);
            var linkOut = new StringWriter();
            var link = CliApp.RunAsync(["--config", config, "link", "--server", profile], new UriWriter(uri =>
                _ = mock.CommandAsync("link", new JsonObject { ["provisionUrl"] = uri }, ct)), linkOut);
            Assert.Equal(0, await link.WaitAsync(ct));
            var number = mock.Phone["number"]!.GetValue<string>();
            var alice = mock.Contact("alice");
            var aliceNumber = alice["number"]!.GetValue<string>();

            var port = FreePort();
            using var stop = new CancellationTokenSource();
            var daemonErr = new StringWriter();
            var daemon = CliApp.RunAsync(["--config", config, "-a", number, "daemon", "--tcp", $"127.0.0.1:{port}"], new StringWriter(), daemonErr,
                new CliServices(new StoredAccountOpener(), stop.Token));
            using var client = new TcpClient();
            await ConnectWithRetryAsync(client, port, daemon, daemonErr);
            var stream = client.GetStream();
            var reader = new StreamReader(stream, Encoding.UTF8);
            async Task<JsonNode> CommandAsync(string line)
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), ct);
                return JsonNode.Parse((await reader.ReadLineAsync(ct))!)!;
            }

            // Alice's number is known once the contact sync arrived: the daemon answers INVALID_NUMBER until then.
            var big = RandomNumberGenerator.GetBytes(30 * 1024 * 1024);
            var command = $"{{\"command\":\"send_message\",\"recipient\":\"{aliceNumber}\",\"dataMessage\":{{\"message\":\"30 MiB\",\"attachments\":[{{\"base64Data\":\"{Convert.ToBase64String(big)}\",\"filename\":\"big.bin\"}}]}}}}";
            var watch = Stopwatch.StartNew();
            JsonNode sent;
            while ((sent = await CommandAsync(command))["statusCode"]!.GetValue<int>() == 2)
            {
                await Task.Delay(200, ct);
                watch.Restart();
            }

            Assert.Equal(0, sent["statusCode"]!.GetValue<int>());
            var sendTime = watch.Elapsed;
            var outDir = Path.Combine(config, "alice");
            Directory.CreateDirectory(outDir);
            var atAlice = await mock.WaitForAttachmentMessageAsync("alice", outDir, ct);
            var arrived = Assert.Single(atAlice["attachments"]!.AsArray())!;
            Assert.Null(arrived["error"]);
            Assert.Equal("big.bin", arrived["fileName"]!.GetValue<string>());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(big)), arrived["sha256"]!.GetValue<string>());
            output.WriteLine($"send 30 MiB: send_message answered after {sendTime.TotalMilliseconds:F0} ms; test process peak working set {Environment.WorkingSet / 1048576} MiB now, {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576} MiB peak");

            // 30 MiB from Alice: handed out once downloaded, byte for byte.
            var bigPath = Path.Combine(config, "from-alice.bin");
            var fromAlice = RandomNumberGenerator.GetBytes(30 * 1024 * 1024);
            await File.WriteAllBytesAsync(bigPath, fromAlice, ct);
            watch.Restart();
            var timestamp = await mock.SendAttachmentsAsync("alice", [new ContactAttachment(PlaintextPath: bigPath, FileName: "from-alice.bin")], "for you", cancellationToken: ct);
            var received = await CommandAsync("{command:'receive_messages',timeout:60000}");
            var receiveTime = watch.Elapsed;
            var message = Assert.Single(received["messages"]!.AsArray())!;
            Assert.Equal(timestamp, message["timestamp"]!.GetValue<long>());
            Assert.Equal("for you", message["body"]!.GetValue<string>());
            var attachment = Assert.Single(message["attachments"]!.AsArray())!;
            Assert.Equal("from-alice.bin", attachment["filename"]!.GetValue<string>());
            Assert.Equal(fromAlice.Length, attachment["size"]!.GetValue<long>());
            Assert.True(fromAlice.AsSpan().SequenceEqual(Convert.FromBase64String(attachment["base64Data"]!.GetValue<string>())));
            output.WriteLine($"receive 30 MiB: contact send to receive_messages answer {receiveTime.TotalMilliseconds:F0} ms; test process peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576} MiB");

            // A corrupted attachment: a status-8 item, the text as a message, and the daemon keeps going.
            await mock.SendAttachmentsAsync("alice", [new ContactAttachment(Data: [1, 2, 3, 4], FileName: "bad.bin", Corrupt: true)], "broken one", cancellationToken: ct);
            var mixed = (await CommandAsync("{command:'receive_messages',timeout:20000}"))["messages"]!.AsArray();
            while (mixed.Count < 2)
            {
                mixed.Add(((JsonNode)(await CommandAsync("{command:'receive_messages',timeout:20000}"))["messages"]![0]!.DeepClone()));
            }

            Assert.Contains(mixed, m => m!["statusCode"]?.GetValue<int>() == 8 && m["errorMessage"]!.GetValue<string>().Contains("bad.bin", StringComparison.Ordinal));
            Assert.Contains(mixed, m => m!["body"]?.GetValue<string>() == "broken one" && m["attachments"]!.AsArray().Count == 0);

            // ignoreAttachments: metadata without base64Data.
            await mock.SendAttachmentsAsync("alice", [new ContactAttachment(Data: "abc"u8.ToArray(), FileName: "abc.txt", ContentType: "text/plain")], cancellationToken: ct);
            var light = (await CommandAsync("{command:'receive_messages',timeout:20000,ignoreAttachments:true}"))["messages"]![0]!["attachments"]![0]!;
            Assert.Null(light["base64Data"]);
            Assert.Equal("abc.txt", light["filename"]!.GetValue<string>());
            Assert.Equal("text/plain", light["contentType"]!.GetValue<string>());
            Assert.Equal(3, light["size"]!.GetValue<long>());

            // A reaction from Alice to our 30 MiB message, shaped as send_reaction's.
            var sentTimestamp = sent["timestamp"]!.GetValue<long>();
            var ourAci = mock.Phone["aci"]!.GetValue<string>();
            await mock.SendReactionAsync("alice", "🏳️‍🌈", ourAci, sentTimestamp, cancellationToken: ct);
            var reacted = (await CommandAsync("{command:'receive_messages',timeout:20000}"))["messages"]![0]!;
            Assert.Equal(aliceNumber, reacted["sender"]!.GetValue<string>());
            var reaction = reacted["reaction"]!;
            Assert.Equal("🏳️‍🌈", reaction["emoji"]!.GetValue<string>());
            Assert.Equal(number, reaction["author"]!.GetValue<string>());
            Assert.False(reaction["remove"]!.GetValue<bool>());
            Assert.Equal(sentTimestamp, reaction["timestamp"]!.GetValue<long>());

            stop.Cancel();
            Assert.Equal(0, await daemon.WaitAsync(ct));
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static async Task ConnectWithRetryAsync(TcpClient client, int port, Task<int> daemon, StringWriter stderr)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(daemon.IsCompleted, "daemon exited: " + stderr);
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>A stdout for `link` that hands the first printed line (the provisioning URI) to the phone.</summary>
    private sealed class UriWriter(Action<string> onUri) : TextWriter
    {
        private readonly StringBuilder line = new();
        private bool seen;

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            if (seen)
            {
                return;
            }

            if (value == '\n')
            {
                seen = true;
                onUri(line.ToString().Trim());
            }
            else
            {
                line.Append(value);
            }
        }
    }
}
