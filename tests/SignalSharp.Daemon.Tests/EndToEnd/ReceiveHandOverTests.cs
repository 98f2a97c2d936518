using System.Net.Sockets;
using SignalSharp.Account.Api;
using SignalSharp.Daemon.Tests.Support;

namespace SignalSharp.Daemon.Tests.EndToEnd;

/// <summary>
/// receive_messages hands items over in three steps, take → write the reply → confirm: a client that goes away
/// during the call loses nothing (its items go to the next caller), and a half-closed client still gets its answer.
/// </summary>
public sealed class ReceiveHandOverTests
{
    private const string LongReceive = """{"command":"receive_messages","timeout":20000}""" + "\n";

    private static ReceivedMessage Message(int i) => new(1_732_530_000_000 + i, FakeAccount.KnownNumber, "m" + i, []);

    private static void Reset(TestClient client)
    {
        // Linger 0: close sends a reset instead of an orderly end, as a killed or crashed client's kernel does.
        client.Socket.LingerState = new LingerOption(true, 0);
        client.Socket.Close();
    }

    private static async Task<List<string>> ReceiveAllAsync(TestClient client, int count)
    {
        var bodies = new List<string>();
        while (bodies.Count < count)
        {
            var response = await client.RoundTripAsync("""{"command":"receive_messages","timeout":5000}""");
            Assert.Equal(0, response.GetProperty("statusCode").GetInt32());
            var messages = response.GetProperty("messages").EnumerateArray().ToList();
            Assert.NotEmpty(messages);
            bodies.AddRange(messages.Select(m => m.GetProperty("body").GetString()!));
        }

        return bodies;
    }

    [Fact]
    public async Task A_client_that_resets_while_waiting_takes_nothing_and_the_next_client_gets_every_item_once()
    {
        await using var daemon = TestDaemon.Start();
        var gone = await daemon.ConnectAsync();
        await gone.SendAsync(LongReceive);
        await Eventually.WaitUntilAsync(() => Volatile.Read(ref daemon.Account.ReceiveCalls) == 1, "the receive is waiting");
        Reset(gone);
        // The daemon notices the reset during the wait and ends the call, so nothing is leased for a dead socket.
        await Eventually.WaitUntilAsync(() => Volatile.Read(ref daemon.Account.ReceivesCancelled) == 1, "the abandoned receive ended");

        daemon.Account.Deliver(Enumerable.Range(0, 5).Select(Message).ToArray());
        await using var next = await daemon.ConnectAsync();
        Assert.Equal(Enumerable.Range(0, 5).Select(i => "m" + i), await ReceiveAllAsync(next, 5));
        await Eventually.WaitUntilAsync(() => daemon.Account.Confirmed.Count == 5, "all five are confirmed");
        Assert.Equal(0, daemon.Account.Leased);
    }

    [Fact]
    public async Task Items_taken_for_a_client_that_reset_go_back_when_the_reply_cannot_be_written()
    {
        await using var daemon = TestDaemon.Start();
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        daemon.Account.LeaseGate = hold.Task;
        try
        {
            var gone = await daemon.ConnectAsync();
            await gone.SendAsync(LongReceive);
            await Eventually.WaitUntilAsync(() => Volatile.Read(ref daemon.Account.ReceiveCalls) == 1, "the receive is waiting");
            daemon.Account.Deliver(Message(0), Message(1), Message(2));
            await Eventually.WaitUntilAsync(() => daemon.Account.Leased == 3, "the items are leased to the doomed call");

            Reset(gone);
            // Let the reset land first: the daemon's watch sees it and cancels the call, which this account ignores.
            await Eventually.WaitUntilAsync(() => daemon.Account.GatedReceiveSawCancel, "the daemon saw the reset");
        }
        finally
        {
            // Never leave the daemon's connection stuck in the gate, or stopping it would wait forever.
            daemon.Account.LeaseGate = null;
            hold.TrySetResult();
        }

        await Eventually.WaitUntilAsync(() => Volatile.Read(ref daemon.Account.Releases) == 1, "the items were released");
        Assert.Equal(0, daemon.Account.Leased);
        Assert.Empty(daemon.Account.Confirmed);
        await using var next = await daemon.ConnectAsync();
        Assert.Equal(["m0", "m1", "m2"], await ReceiveAllAsync(next, 3));
        await Eventually.WaitUntilAsync(() => daemon.Account.Confirmed.Count == 3, "the items are confirmed once");
        Assert.Equal(["m0", "m1", "m2"], daemon.Account.Confirmed.Select(i => ((ReceivedMessage)i).Body));
    }

    [Fact]
    public async Task A_client_that_closed_its_socket_while_waiting_has_nothing_confirmed_and_the_next_client_gets_the_items()
    {
        await using var daemon = TestDaemon.Start();
        var gone = await daemon.ConnectAsync();
        await gone.SendAsync(LongReceive);
        await Eventually.WaitUntilAsync(() => Volatile.Read(ref daemon.Account.ReceiveCalls) == 1, "the receive is waiting");
        // An orderly close (FIN), as a script that gives up on a long poll does: to the daemon it looks like a
        // half-closed client until the client's kernel refuses the answer.
        gone.Socket.Close();
        daemon.Account.Deliver(Message(0), Message(1));

        await Eventually.WaitUntilAsync(() => Volatile.Read(ref daemon.Account.Releases) == 1, "the items went back");
        Assert.Empty(daemon.Account.Confirmed);
        await using var next = await daemon.ConnectAsync();
        Assert.Equal(["m0", "m1"], await ReceiveAllAsync(next, 2));
        await Eventually.WaitUntilAsync(() => daemon.Account.Confirmed.Count == 2, "the items are confirmed once, to the client that read them");
        Assert.Equal(0, daemon.Account.Leased);
    }

    [Fact]
    public async Task Clients_that_close_as_items_arrive_lose_nothing_and_half_closed_readers_beside_them_get_theirs()
    {
        await using var daemon = TestDaemon.Start();
        const int Rounds = 8;
        var got = new List<string>();
        await using var reader = await daemon.ConnectAsync();
        for (var round = 0; round < Rounds; round++)
        {
            var gone = await daemon.ConnectAsync();
            var calls = Volatile.Read(ref daemon.Account.ReceiveCalls);
            await gone.SendAsync(LongReceive);
            await Eventually.WaitUntilAsync(() => Volatile.Read(ref daemon.Account.ReceiveCalls) == calls + 1, "the doomed receive is waiting");
            gone.Socket.Close();
            daemon.Account.Deliver(Message(2 * round), Message(2 * round + 1));
            got.AddRange(await ReceiveAllAsync(reader, 2));
        }

        Assert.Equal(Enumerable.Range(0, 2 * Rounds).Select(i => "m" + i), got);
        await Eventually.WaitUntilAsync(() => daemon.Account.Leased == 0, "no lease is left open");
        Assert.Equal(2 * Rounds, daemon.Account.Confirmed.Count);

        // A half-closed client that reads on is still served and confirmed.
        await using var socat = await daemon.ConnectAsync();
        var before = Volatile.Read(ref daemon.Account.ReceiveCalls);
        await socat.SendAsync(LongReceive);
        socat.Socket.Shutdown(SocketShutdown.Send);
        await Eventually.WaitUntilAsync(() => Volatile.Read(ref daemon.Account.ReceiveCalls) == before + 1, "the half-closed client's receive is waiting");
        daemon.Account.Deliver(Message(99));
        Assert.Equal("m99", Assert.Single((await socat.ReadResponseAsync()).GetProperty("messages").EnumerateArray()).GetProperty("body").GetString());
        await Eventually.WaitUntilAsync(() => daemon.Account.Confirmed.Count == 2 * Rounds + 1, "the half-closed reader's item is confirmed");
    }

    [Fact]
    public async Task A_half_closed_client_still_gets_items_that_arrive_after_its_end_of_input()
    {
        await using var daemon = TestDaemon.Start();
        await using var client = await daemon.ConnectAsync();
        await client.SendAsync("""{command:'receive_messages',timeout:20000}""" + "\n");
        // What `echo … | socat - TCP:…` does: the write side ends right after the command, reading goes on.
        client.Socket.Shutdown(SocketShutdown.Send);
        await Eventually.WaitUntilAsync(() => Volatile.Read(ref daemon.Account.ReceiveCalls) == 1, "the receive is waiting");
        daemon.Account.Deliver(Message(7));

        var response = await client.ReadResponseAsync();
        Assert.Equal("m7", Assert.Single(response.GetProperty("messages").EnumerateArray()).GetProperty("body").GetString());
        Assert.Null(await client.ReadLineAsync());
        await Eventually.WaitUntilAsync(() => daemon.Account.Confirmed.Count == 1, "the item is confirmed");
        Assert.Equal(0, Volatile.Read(ref daemon.Account.ReceivesCancelled));
    }

    [Fact]
    public async Task A_half_closed_client_with_items_already_waiting_gets_them_and_they_are_confirmed()
    {
        await using var daemon = TestDaemon.Start();
        daemon.Account.Deliver(Message(1), Message(2));
        await using var client = await daemon.ConnectAsync();
        await client.SendAsync("""{"command":"receive_messages"}""");
        client.Socket.Shutdown(SocketShutdown.Send);
        var response = await client.ReadResponseAsync();
        Assert.Equal(2, response.GetProperty("messages").GetArrayLength());
        Assert.Null(await client.ReadLineAsync());
        await Eventually.WaitUntilAsync(() => daemon.Account.Confirmed.Count == 2, "both are confirmed");
        Assert.Equal(0, daemon.Account.Leased);
    }

    [Fact]
    public async Task Clients_that_reset_as_items_arrive_lose_nothing_and_duplicate_nothing()
    {
        await using var daemon = TestDaemon.Start();
        const int Rounds = 12;
        var got = new List<string>();
        await using var reader = await daemon.ConnectAsync();
        for (var round = 0; round < Rounds; round++)
        {
            var gone = await daemon.ConnectAsync();
            var calls = Volatile.Read(ref daemon.Account.ReceiveCalls);
            await gone.SendAsync(LongReceive);
            await Eventually.WaitUntilAsync(() => Volatile.Read(ref daemon.Account.ReceiveCalls) == calls + 1, "the doomed receive is waiting");
            // The reset and the items race: the doomed call is either ended first or leases them and fails to reply.
            Reset(gone);
            daemon.Account.Deliver(Message(3 * round), Message(3 * round + 1), Message(3 * round + 2));
            got.AddRange(await ReceiveAllAsync(reader, 3));
        }

        Assert.Equal(Enumerable.Range(0, 3 * Rounds).Select(i => "m" + i), got);
        await Eventually.WaitUntilAsync(() => daemon.Account.Leased == 0, "no lease is left open");
        Assert.Equal(3 * Rounds, daemon.Account.Confirmed.Count);
    }
}
