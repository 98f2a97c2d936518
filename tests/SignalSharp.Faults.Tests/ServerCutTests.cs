using System.Text.Json.Nodes;
using SignalSharp.Faults.Tests.Support;
using Xunit.Abstractions;

namespace SignalSharp.Faults.Tests;

/// <summary>
/// A TCP proxy between the daemon and Signal's mock server resets the server connections again and again while a
/// contact sends a stream: some at random moments (mid-frame as it falls), some right after CONNECT (inside the TLS
/// or WebSocket handshake). The daemon reconnects every time, and every message reaches the client exactly once:
/// what was not acked when a connection died is delivered again by the server and recognised as already stored.
/// Afterwards a send still goes through: the connection came back for both directions.
/// </summary>
public sealed class ServerCutTests(ITestOutputHelper output)
{
    private const int Window = 30;

    [Fact]
    public async Task Cut_server_connections_lose_nothing_duplicate_nothing_and_the_daemon_always_reconnects()
    {
        var count = FaultScale.Pick(150, 2_000);
        var cuts = FaultScale.Pick(12, 50);
        var random = new Random(FaultScale.Seed);
        output.WriteLine($"seed {FaultScale.Seed}: {count} messages, {cuts} cuts of the open connections, every fifth new connection cut early, the first among them");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(FaultScale.Pick(4, 120)));
        var ct = timeout.Token;
        await using var mock = await LinkedMock.StartAsync(ct);
        await using var proxy = new FaultProxy(mock.ChatEndPoint);
        mock.RouteChatThrough(proxy.Port);
        var early = 0;
        proxy.NextFault = () =>
        {
            // Every fifth connection dies within its first few kilobytes: the handshakes, or the first frames; the
            // very first among them, so that the daemon's start meets a cut too.
            lock (random)
            {
                return Interlocked.Increment(ref early) % 5 == 1 ? (FaultKind.Cut, random.Next(0, 4_000)) : (FaultKind.None, 0);
            }
        };
        await using var daemon = mock.Daemon(throughProfile: true);
        await daemon.StartAsync(ct);

        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var received = new List<string>();
        var seen = 0;
        var sends = new List<Task<JsonNode?>>();
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < count; i++)
            {
                while (i - Volatile.Read(ref seen) >= Window)
                {
                    await Task.Delay(20, ct);
                }

                sends.Add(mock.Server.CommandAsync("sendText", new JsonObject
                {
                    ["from"] = "alice", ["text"] = $"message {i}", ["sealed"] = i % 3 == 0, ["timestamp"] = start + i,
                }, ct));
            }
        }, ct);

        // Cut points spread over the stream, early enough that each is crossed before the last message (an answer
        // carries at most about two windows).
        var cutPoints = Enumerable.Range(1, count - 2 * Window).OrderBy(_ => random.Next()).Take(cuts).Order().ToList();
        var cutsDone = 0;
        using (var client = await LineClient.ConnectAsync(daemon.Port, ct))
        {
            var empties = 0;
            while (received.Distinct().Count() < count)
            {
                // A cut counts when it broke a live connection; while the daemon is between connections it waits.
                if (cutsDone < cuts && Volatile.Read(ref seen) >= cutPoints[cutsDone] && proxy.CutAll() > 0)
                {
                    cutsDone++;
                }

                var answer = await client.CommandAsync("{command:'receive_messages',timeout:15000}", ct);
                Assert.True(answer is not null, "the daemon closed the client's connection:\n" + daemon.RecentLog);
                var got = answer!["messages"]!.AsArray().Select(m => m!["body"]!.GetValue<string>()).ToList();
                empties = got.Count > 0 ? 0 : empties + 1;
                Assert.True(empties < 4, $"only {received.Distinct().Count()} of {count} arrived, nothing for a minute after {cutsDone} cuts "
                    + $"({proxy.Accepted} connections):\n{daemon.RecentLog}");
                received.AddRange(got);
                Volatile.Write(ref seen, received.Distinct().Count());
            }

            await sending.WaitAsync(ct);
            await Task.WhenAll(sends).WaitAsync(ct);

            // Cuts the stream ended before: each once the daemon is connected again.
            while (cutsDone < cuts)
            {
                if (proxy.CutAll() > 0)
                {
                    cutsDone++;
                }

                await Task.Delay(100, ct);
            }

            // Both directions came back: a send after the last cut reaches Alice.
            var aliceNumber = mock.Server.Contact("alice")["number"]!.GetValue<string>();
            var sent = await client.CommandAsync($"{{command:'send_message',recipient:'{aliceNumber}',dataMessage:{{message:'after the cuts'}}}}", ct);
            Assert.True(sent is not null && sent["statusCode"]!.GetValue<int>() == 0, sent?.ToJsonString() + "\n" + daemon.RecentLog);
            Assert.Equal("after the cuts", (await mock.Server.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice" }, ct))!["body"]!.GetValue<string>());
        }

        daemon.SamplePeak();
        output.WriteLine($"{cutsDone} cuts of the open connections, {proxy.Cuts} cuts in all, {proxy.Accepted} connections, "
            + $"{received.Count} received, peak RSS {daemon.PeakResidentBytes / (1024 * 1024)} MiB");
        Assert.Equal(cuts, cutsDone);
        Assert.True(proxy.Accepted > cutsDone, "the daemon reconnected after each cut");
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"message {i}").Order(), received.Order());
    }
}
