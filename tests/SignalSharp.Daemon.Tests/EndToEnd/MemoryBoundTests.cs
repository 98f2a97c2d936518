using System.Text;
using SignalSharp.Daemon.Tests.Support;
using static SignalSharp.Daemon.Tests.Support.JsonAssert;

namespace SignalSharp.Daemon.Tests.EndToEnd;

/// <summary>
/// What many or misbehaving clients can cost: big commands share one buffer budget across connections (the excess
/// is refused, the rest served), a client that never reads its answers holds up only its own connection, and an idle
/// connection holds no buffer. The heap is measured for the whole process, so these run alone, not beside other tests.
/// </summary>
[Collection(MeasuredAlone.Name)]
public sealed class MemoryBoundTests
{
    private const string Probe = """{"command":"receive_messages","reqId":"probe","timeout":0}""";
    private const int MiB = 1024 * 1024;

    private static string BigSend(string reqId, int bytes) =>
        $$$"""{"command":"send_message","reqId":"{{{reqId}}}","recipient":"+4366412345678","dataMessage":{"attachments":[{"base64Data":"{{{Convert.ToBase64String(new byte[bytes])}}}","filename":"b.bin"}]}}""";

    /// <summary>Everything of a command but its last byte, so the daemon has to keep it all buffered.</summary>
    private static async Task SendAllButLastAsync(TestClient client, string command) => await client.SendAsync(command[..^1]);

    [Fact]
    public async Task Big_commands_over_the_shared_budget_are_refused_while_the_others_are_served()
    {
        // Commands of ~3 MiB each need a 4 MiB buffer: two fit in 10 MiB, a third does not.
        await using var daemon = TestDaemon.Start(maxCommandSize: 4 * MiB, bufferBudget: 10 * MiB);
        var first = BigSend("a", 2_200_000);
        var second = BigSend("b", 2_200_000);
        Assert.InRange(Encoding.UTF8.GetByteCount(first), 2 * MiB + 1, 4 * MiB - 1);
        await using var a = await daemon.ConnectAsync();
        await using var b = await daemon.ConnectAsync();
        await SendAllButLastAsync(a, first);
        await SendAllButLastAsync(b, second);
        // Both are buffered (the daemon answers a probe only after reading everything before it, so use a third
        // client to see that the daemon is alive, and give the two time to be read).
        await using (var alive = await daemon.ConnectAsync())
        {
            HasStatus(0, await alive.RoundTripAsync(Probe));
        }

        await Eventually.WaitUntilAsync(() => daemon.Server.BufferedCommandBytes >= 8 * MiB, "both big commands are buffered");

        await using var c = await daemon.ConnectAsync();
        await c.SendAsync(BigSend("c", 2_200_000) + "\n");
        var refused = await c.ReadResponseAsync();
        HasStatus(-1, refused);
        Assert.Contains("too many large commands", refused.GetProperty("errorMessage").GetString());
        Assert.Null(await c.ReadLineAsync());

        await a.SendAsync("}\n");
        await b.SendAsync("}\n");
        HasStatus(0, await a.ReadResponseAsync());
        HasStatus(0, await b.ReadResponseAsync());
        await Eventually.WaitUntilAsync(() => daemon.Server.BufferedCommandBytes == 0, "the budget is given back");

        // With the budget free again the same command goes through.
        await using var again = await daemon.ConnectAsync();
        HasStatus(0, await again.RoundTripAsync(BigSend("c", 2_200_000)));
        Assert.Equal(3, daemon.Account.SentMessages.Count);
    }

    [Fact]
    public async Task A_client_that_never_reads_its_answers_holds_up_only_its_own_connection()
    {
        await using var daemon = TestDaemon.Start();
        await using var hog = await daemon.ConnectAsync();
        // Far more answers than the socket buffers hold: the daemon's writes to it block, so it stops reading it.
        var line = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"command\":\"nope\",\"reqId\":\"" + new string('r', 200) + "\"}\n", 20_000)));
        var flooding = hog.SendAsync(line);

        await using var polite = await daemon.ConnectAsync();
        for (var i = 0; i < 20; i++)
        {
            HasStatus(0, await polite.RoundTripAsync(Probe));
        }

        // The hog's connection is still served, in order, once it reads.
        var first = await hog.ReadResponseAsync();
        HasStatus(1, first);
        for (var i = 1; i < 20_000; i++)
        {
            HasStatus(1, await hog.ReadResponseAsync());
        }

        await flooding;
        HasStatus(0, await hog.RoundTripAsync(Probe));
    }
    [Fact]
    public async Task Idle_connections_hold_no_receive_buffer()
    {
        const int Connections = 500;
        await using var daemon = TestDaemon.Start();
        var sockets = new List<System.Net.Sockets.Socket>();
        var scratch = new byte[4096];
        async Task<System.Net.Sockets.Socket> AskedOnceAsync()
        {
            // A bare socket: the test's own client would add its 64 KiB read buffer to what is measured.
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            await socket.ConnectAsync(daemon.EndPoint);
            await socket.SendAsync(Encoding.UTF8.GetBytes(Probe + "\n"));
            var received = 0;
            while (received == 0 || scratch[received - 1] != (byte)'\n')
            {
                var n = await socket.ReceiveAsync(scratch.AsMemory(received));
                Assert.True(n > 0, "the daemon closed the connection");
                received += n;
            }

            Assert.Contains("\"statusCode\":0", Encoding.UTF8.GetString(scratch, 0, received), StringComparison.Ordinal);
            return socket;
        }

        try
        {
            // Warm up once (pools, JIT), then measure what many idle clients add: each has asked and been answered
            // once, so it has had its buffers, and now waits for its next command.
            sockets.Add(await AskedOnceAsync());
            var before = GC.GetTotalMemory(forceFullCollection: true);
            for (var i = 0; i < Connections; i++)
            {
                sockets.Add(await AskedOnceAsync());
            }

            var perConnection = (GC.GetTotalMemory(forceFullCollection: true) - before) / Connections;
            // Holding its receive buffer, each cost 30 KiB (16 KiB of buffer); what stays is its bookkeeping and the bare client socket.
            Assert.True(perConnection < 14 * 1024, $"{perConnection} bytes per idle connection");
            sockets.Add(await AskedOnceAsync());
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }
}

/// <summary>Tests that measure the process's heap: run after the parallel ones, one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredAlone
{
    public const string Name = "measured alone";
}
