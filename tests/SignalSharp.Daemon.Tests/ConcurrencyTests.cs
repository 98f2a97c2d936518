using System.Diagnostics;
using System.Text;
using SignalSharp.Daemon.Tests.Support;
using static SignalSharp.Daemon.Tests.Support.JsonAssert;

namespace SignalSharp.Daemon.Tests;

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

        var waiting = Stopwatch.StartNew();
        await slow.SendAsync("""{"command":"receive_messages","reqId":"slow","timeout":5000}""" + "\n");
        var slowResponse = slow.ReadResponseAsync(TimeSpan.FromSeconds(15));
        while (Volatile.Read(ref daemon.Account.ReceiveCalls) == 0)
        {
            await Task.Delay(1);
        }

        for (var i = 0; i < 1000; i++)
        {
            var response = await fast.RoundTripAsync($$$"""{"command":"send_message","reqId":{{{i}}},"recipient":"+4366400000000","dataMessage":{"message":"x"}}""");
            Assert.Equal(i.ToString(), ReqId(response));
            HasStatus(2, response);
        }

        // All 1,000 answers arrived while the receive was still waiting.
        Assert.False(slowResponse.IsCompleted, $"the 5 s receive answered before the 1,000 answers were in ({waiting.Elapsed})");

        var answered = await slowResponse;
        HasStatus(0, answered);
        Assert.Empty(answered.GetProperty("messages").EnumerateArray());
        Assert.True(waiting.Elapsed >= TimeSpan.FromSeconds(4.9), $"receive returned after {waiting.Elapsed}");
    }

    [Fact]
    public async Task A_message_arriving_during_a_wait_is_handed_out_once()
    {
        await using var daemon = TestDaemon.Start();
        await using var a = await daemon.ConnectAsync();
        await using var b = await daemon.ConnectAsync();
        await a.SendAsync("""{"command":"receive_messages","timeout":3000}""" + "\n");
        await b.SendAsync("""{"command":"receive_messages","timeout":300}""" + "\n");
        await Task.Delay(100);
        daemon.Account.Deliver(new Account.ReceivedMessage(5, "+4366412345678", "once", []));
        var first = await a.ReadResponseAsync();
        var second = await b.ReadResponseAsync();
        var total = first.GetProperty("messages").GetArrayLength() + second.GetProperty("messages").GetArrayLength();
        Assert.Equal(1, total);
    }
}
