using System.Text.Json.Nodes;
using SignalSharp.Faults.Tests.Support;
using SignalSharp.Interop.Testing;
using Xunit.Abstractions;

namespace SignalSharp.Faults.Tests;

/// <summary>
/// The daemon is killed with SIGKILL at random points of pipelined send bursts to a contact, and restarted. Every
/// send it reported as a success reaches the contact's own device (the mock decrypts it with libsignal) exactly
/// once; no message arrives twice, even one whose answer the kill swallowed.
/// </summary>
public sealed class KillDuringSendTests(ITestOutputHelper output)
{
    private const int Burst = 8;

    [Fact]
    public async Task Sends_reported_as_success_arrive_once_despite_SIGKILLs()
    {
        var count = FaultScale.Pick(64, 2_000);
        var kills = FaultScale.Pick(4, 50);
        var random = new Random(FaultScale.Seed);
        output.WriteLine($"seed {FaultScale.Seed}: {count} sends, {kills} kills");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(FaultScale.Pick(3, 240)));
        var ct = timeout.Token;
        await using var mock = await LinkedMock.StartAsync(ct);
        var alice = mock.Server.Contact("alice")["number"]!.GetValue<string>();
        await using var daemon = mock.Daemon();
        await daemon.StartAsync(ct);

        // The account learns the contact's number from a first message (the mock has no contact discovery).
        var hello = mock.Server.CommandAsync("sendText", new JsonObject { ["from"] = "alice", ["text"] = "hello" }, ct);
        using (var first = await LineClient.ConnectAsync(daemon.Port, ct))
        {
            Assert.Single((await first.CommandAsync("{command:'receive_messages',timeout:20000}", ct))!["messages"]!.AsArray());
        }

        await hello;
        var succeeded = new HashSet<int>();
        var unanswered = new HashSet<int>();
        var failed = 0;
        var killsDone = 0;
        var next = 0;
        var killBursts = Enumerable.Range(1, count / Burst - 1).OrderBy(_ => random.Next()).Take(kills).ToHashSet();
        for (var burst = 0; next < count; burst++)
        {
            using var client = await LineClient.ConnectAsync(daemon.Port, ct);
            var ids = Enumerable.Range(next, Math.Min(Burst, count - next)).ToList();
            next += ids.Count;
            var written = await client.WriteAsync(ids.Select(i => $"{{command:'send_message',reqId:{i},recipient:'{alice}',dataMessage:{{message:'send {i}'}}}}"), ct);
            Task killing = Task.CompletedTask;
            if (killBursts.Contains(burst))
            {
                killing = Task.Run(async () =>
                {
                    await Task.Delay(random.Next(0, 300), ct);
                    await daemon.KillAsync(ct);
                }, ct);
            }

            var answered = new HashSet<int>();
            while (written && answered.Count < ids.Count && await client.ReadAsync(ct) is { } answer)
            {
                var id = answer["reqId"]!.GetValue<int>();
                Assert.True(answered.Add(id), $"send {id} answered twice");
                if (answer["statusCode"]!.GetValue<int>() == 0)
                {
                    succeeded.Add(id);
                }
                else
                {
                    failed++;
                    output.WriteLine($"send {id} failed: {answer.ToJsonString()}");
                }
            }

            unanswered.UnionWith(ids.Except(answered));
            await killing;
            if (killBursts.Contains(burst))
            {
                killsDone++;
                await daemon.StartAsync(ct);
            }
        }

        daemon.SamplePeak();
        var arrived = await DrainAsync(mock.Server, ct);
        output.WriteLine($"kills {killsDone}; {succeeded.Count} succeeded, {failed} failed, {unanswered.Count} unanswered; {arrived.Count} arrived; peak RSS {daemon.PeakResidentBytes / (1024 * 1024)} MiB");
        Assert.Equal(kills, killsDone);
        Assert.Empty(arrived.GroupBy(b => b).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.Empty(succeeded.Select(i => $"send {i}").Except(arrived));
        Assert.Empty(arrived.Except(Enumerable.Range(0, count).Select(i => $"send {i}")));
        Assert.Equal(0, failed);
    }

    /// <summary>Everything the contact's device decrypted, until nothing more comes for a while.</summary>
    private static async Task<List<string>> DrainAsync(MockServer mock, CancellationToken ct)
    {
        var bodies = new List<string>();
        while (true)
        {
            try
            {
                var message = await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice", ["timeoutMs"] = 5000 }, ct);
                bodies.Add(message!["body"]!.GetValue<string>());
            }
            catch (MockServerException e) when (e.Message.Contains("timed out", StringComparison.Ordinal))
            {
                return bodies;
            }
        }
    }
}
