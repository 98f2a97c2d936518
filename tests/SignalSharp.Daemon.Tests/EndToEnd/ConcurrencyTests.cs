using SignalSharp.Account.Api;
using System.Diagnostics;
using System.Text;
using SignalSharp.Daemon.Tests.Support;
using static SignalSharp.Daemon.Tests.Support.JsonAssert;

namespace SignalSharp.Daemon.Tests.EndToEnd;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Hundred_connections_times_hundred_commands_are_answered_in_order()
    {
        await using var daemon = TestDaemon.Start();
        const int connections = 100;
        const int commands = 100;
        var clients = await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => daemon.ConnectAsync()));
        try
        {
            await Task.WhenAll(clients.Select((client, c) => Task.Run(async () =>
            {
                // Mixed commands, all pipelined in one write: the answers must come back in the order sent.
                var batch = new StringBuilder();
                for (var i = 0; i < commands; i++)
                {
                    batch.Append((i % 3) switch
                    {
                        0 => $$$"""{"command":"receive_messages","reqId":"{{{c}}}-{{{i}}}","timeout":0}""",
                        1 => $$$"""{"command":"send_message","reqId":"{{{c}}}-{{{i}}}","recipient":"+4366412345678","dataMessage":{"message":"m{{{i}}}"}}""",
                        _ => $$$"""{"command":"send_message","reqId":"{{{c}}}-{{{i}}}","dataMessage":{"message":"m{{{i}}}"}}""",
                    });
                    batch.Append('\n');
                }

                await client.SendAsync(batch.ToString());
                for (var i = 0; i < commands; i++)
                {
                    var response = await client.ReadResponseAsync();
                    Assert.Equal($"\"{c}-{i}\"", ReqId(response));
                    HasStatus(i % 3 == 2 ? 5 : 0, response);
                }
            })));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }

        Assert.Equal(connections * (commands / 3), daemon.Account.SentMessages.Count);
    }

    [Fact]
    public async Task A_long_receive_on_one_connection_does_not_delay_another()
    {
        await using var daemon = TestDaemon.Start();
        await using var slow = await daemon.ConnectAsync();
        await using var fast = await daemon.ConnectAsync();

        // The receive must outlast 1,000 round trips even on a loaded 2-core CI machine (where they can take seconds),
        // so it waits 15 s; the fast connection's answers must all arrive well inside that wait.
        var waiting = Stopwatch.StartNew();
        await slow.SendAsync("""{"command":"receive_messages","reqId":"slow","timeout":15000}""" + "\n");
        var slowResponse = slow.ReadResponseAsync(TimeSpan.FromSeconds(60));
        await Eventually.WaitUntilAsync(() => Volatile.Read(ref daemon.Account.ReceiveCalls) == 1, "the receive is waiting");

        for (var i = 0; i < 1000; i++)
        {
            var response = await fast.RoundTripAsync($$$"""{"command":"send_message","reqId":{{{i}}},"recipient":"+4366400000000","dataMessage":{"message":"x"}}""");
            Assert.Equal(i.ToString(), ReqId(response));
            HasStatus(2, response);
        }

        // All 1,000 answers arrived while the receive was still waiting.
        Assert.False(slowResponse.IsCompleted, $"the 15 s receive answered before the 1,000 answers were in ({waiting.Elapsed})");

        var answered = await slowResponse;
        HasStatus(0, answered);
        Assert.Empty(answered.GetProperty("messages").EnumerateArray());
        Assert.True(waiting.Elapsed >= TimeSpan.FromSeconds(14.9), $"receive returned after {waiting.Elapsed}");
    }

    [Fact]
    public async Task A_message_arriving_during_a_wait_is_handed_out_once()
    {
        await using var daemon = TestDaemon.Start();
        await using var a = await daemon.ConnectAsync();
        await using var b = await daemon.ConnectAsync();
        await a.SendAsync("""{"command":"receive_messages","timeout":3000}""" + "\n");
        await b.SendAsync("""{"command":"receive_messages","timeout":3000}""" + "\n");

        // The message arrives only once both receives are really waiting, not after a guessed 100 ms.
        await Eventually.WaitUntilAsync(() => Volatile.Read(ref daemon.Account.ReceiveCalls) == 2, "both receives are waiting");
        daemon.Account.Deliver(new ReceivedMessage(5, "+4366412345678", "once", []));
        var first = await a.ReadResponseAsync();
        var second = await b.ReadResponseAsync();
        var total = first.GetProperty("messages").GetArrayLength() + second.GetProperty("messages").GetArrayLength();
        Assert.Equal(1, total);
    }
}
