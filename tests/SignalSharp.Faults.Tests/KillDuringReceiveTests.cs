using System.Text.Json.Nodes;
using SignalSharp.Faults.Tests.Support;
using Xunit.Abstractions;

namespace SignalSharp.Faults.Tests;

/// <summary>
/// The daemon is killed with SIGKILL at random points while a contact sends a long stream and a client receives it;
/// it is restarted each time. Every message reaches the client exactly once: stored before acked, confirmed only
/// once the answer carrying it has left, put back otherwise.
/// </summary>
public sealed class KillDuringReceiveTests(ITestOutputHelper output)
{
    private const int Window = 40;
    private int received;

    [Fact]
    public async Task Messages_survive_SIGKILLs_during_a_long_receive_each_delivered_once()
    {
        var count = FaultScale.Pick(300, 10_000);
        var kills = FaultScale.Pick(6, 100);
        var random = new Random(FaultScale.Seed);
        output.WriteLine($"seed {FaultScale.Seed}: {count} messages, {kills} kills");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(FaultScale.Pick(3, 240)));
        var ct = timeout.Token;
        await using var mock = await LinkedMock.StartAsync(ct);
        await using var daemon = mock.Daemon();
        await daemon.StartAsync(ct);

        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var bodies = new List<string>();
        // Repeats (the window the README names) count once: the stream is done when every message arrived.
        var unique = new HashSet<string>();
        var sends = new List<Task<JsonNode?>>();

        // Sends are fired without waiting for each (the mock resolves one only when our device acks it, and a send
        // caught by a kill may resolve late), a window ahead of what the client has seen so far.
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < count; i++)
            {
                while (i - Volatile.Read(ref received) >= Window)
                {
                    await Task.Delay(20, ct);
                }

                sends.Add(mock.Server.CommandAsync("sendText", new JsonObject
                {
                    ["from"] = "alice", ["text"] = $"message {i}", ["sealed"] = i % 3 == 0, ["timestamp"] = start + i,
                }, ct));
            }
        }, ct);

        var killsDone = 0;
        var inFlightAtKill = new HashSet<string>();
        var empties = 0;
        List<string> lastAnswer = [];
        var nextKillAt = NextKillPoint(random, 0, count, kills);
        while (unique.Count < count || killsDone < kills)
        {
            using var client = await LineClient.ConnectAsync(daemon.Port, ct);
            while (unique.Count < count || killsDone < kills)
            {
                if (killsDone < kills && bodies.Count >= nextKillAt)
                {
                    // Kill while the next receive is in flight, at a random moment of it.
                    var receive = client.CommandAsync("{command:'receive_messages',timeout:2000}", ct);
                    await Task.Delay(random.Next(0, 40), ct);
                    await daemon.KillAsync(ct);

                    // The daemon records an answer's hand-over after writing it, while the client already sends
                    // its next command: the answer before the kill is in the window as much as the one during it.
                    inFlightAtKill.UnionWith(lastAnswer);
                    if (await receive is { } answer)
                    {
                        var caught = Bodies(answer).ToList();
                        inFlightAtKill.UnionWith(caught);
                        lastAnswer = caught;
                        output.WriteLine($"caught by the kill: {caught.Count}: {caught.FirstOrDefault()} .. {caught.LastOrDefault()}");
                        bodies.AddRange(caught);
                        unique.UnionWith(caught);
                        Volatile.Write(ref received, unique.Count);
                    }

                    killsDone++;
                    output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} kill {killsDone} after {bodies.Count} received");
                    nextKillAt = NextKillPoint(random, bodies.Count, count, kills - killsDone);
                    await daemon.StartAsync(ct);
                    break;
                }

                var next = await client.CommandAsync("{command:'receive_messages',timeout:20000}", ct);
                Assert.True(next is not null, "the daemon closed the connection:\n" + daemon.RecentLog);
                var got = Bodies(next!).ToList();
                empties = got.Count > 0 ? 0 : empties + 1;
                Assert.True(empties < 3, $"only {unique.Count} of {count} distinct messages arrived ({bodies.Count} with repeats), nothing for a minute:\n{daemon.RecentLog}\nmock:\n{Tail(mock.Server.StandardErrorText)}");
                bodies.AddRange(got);
                unique.UnionWith(got);
                lastAnswer = got;
                Volatile.Write(ref received, unique.Count);
                output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} +{got.Count} = {bodies.Count}: {got.FirstOrDefault()} .. {got.LastOrDefault()}");
            }
        }

        await sending.WaitAsync(ct);
        await Task.WhenAll(sends).WaitAsync(ct);
        daemon.SamplePeak();
        output.WriteLine($"kills {killsDone}, received {bodies.Count}, peak RSS {daemon.PeakResidentBytes / (1024 * 1024)} MiB");
        Assert.Equal(kills, killsDone);
        var duplicates = bodies.GroupBy(b => b).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        output.WriteLine($"duplicates {duplicates.Count}, from answers the kill caught between their write and the record of their hand-over");

        // The one window the README names: an answer fully written, the daemon killed before it recorded the
        // delivery. Those items (and only those) may come once more; anything else twice is a defect.
        Assert.Empty(duplicates.Except(inFlightAtKill));
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"message {i}").Order(), bodies.Distinct().Order());
        // When the last kill came after the last answer, that answer's items are in the window too and come once
        // more now; nothing else may, and after them nothing at all.
        using var last = await LineClient.ConnectAsync(daemon.Port, ct);
        var again = Bodies((await last.CommandAsync("{command:'receive_messages',timeout:500}", ct))!).ToList();
        Assert.Empty(again.Except(inFlightAtKill));
        Assert.Empty(again.Intersect(duplicates));
        Assert.Empty(Bodies((await last.CommandAsync("{command:'receive_messages',timeout:500}", ct))!));
    }

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(30));

    private static int NextKillPoint(Random random, int received, int count, int killsLeft) =>
        killsLeft <= 0 ? int.MaxValue : Math.Min(count, received + random.Next(0, Math.Max(1, (count - received) / killsLeft)));

    private static IEnumerable<string> Bodies(JsonNode answer)
    {
        Assert.Equal(0, answer["statusCode"]!.GetValue<int>());
        return answer["messages"]!.AsArray().Select(m => m!["body"]!.GetValue<string>());
    }
}
