using System.Diagnostics;
using SignalSharp.Daemon.Tests.Support;
using static SignalSharp.Daemon.Tests.Support.JsonAssert;

namespace SignalSharp.Daemon.Tests.EndToEnd;

public sealed class ShutdownTests
{
    private const string Send = """{"command":"send_message","reqId":"s","recipient":"+4366412345678","dataMessage":{"message":"x"}}""";

    [Fact]
    public async Task A_send_in_progress_finishes_and_is_answered_before_the_connection_closes()
    {
        var daemon = TestDaemon.Start();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        daemon.Account.SendGate = gate.Task;
        await using var client = await daemon.ConnectAsync();
        await client.SendAsync(Send + "\n");
        await Eventually.WaitUntilAsync(() => Volatile.Read(ref daemon.Account.SendsStarted) == 1, "the send is in progress");

        // The stop is requested while the send is held in progress; only then may it finish.
        var stop = daemon.Server.StopAsync();
        gate.SetResult();
        var response = await client.ReadResponseAsync();
        HasStatus(0, response);
        Assert.Null(await client.ReadLineAsync());
        await stop;
        Assert.Single(daemon.Account.SentMessages);

        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => daemon.ConnectAsync());
        await daemon.DisposeAsync();
    }

    [Fact]
    public async Task Commands_queued_behind_the_one_in_progress_are_refused_not_dropped()
    {
        var daemon = TestDaemon.Start();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        daemon.Account.SendGate = gate.Task;
        await using var client = await daemon.ConnectAsync();
        await client.SendAsync(Send + "\n{command:'receive_messages',reqId:'q1',timeout:0}\n{\"command\":\"send_message\",\"reqId\":\"q2\"}\n");
        await Eventually.WaitUntilAsync(() => Volatile.Read(ref daemon.Account.SendsStarted) == 1, "the first send is in progress");
        var stop = daemon.Server.StopAsync();
        gate.SetResult();
        HasStatus(0, await client.ReadResponseAsync());
        var q1 = await client.ReadResponseAsync();
        HasStatus(-1, q1);
        Assert.Equal("\"q1\"", ReqId(q1));
        Assert.Equal("receive_messages", q1.GetProperty("command").GetString());
        var q2 = await client.ReadResponseAsync();
        HasStatus(-1, q2);
        Assert.Equal("\"q2\"", ReqId(q2));
        Assert.Null(await client.ReadLineAsync());
        await stop;
        Assert.Single(daemon.Account.SentMessages);
        await daemon.DisposeAsync();
    }

    [Fact]
    public async Task A_waiting_receive_ends_early_with_an_empty_list()
    {
        var daemon = TestDaemon.Start();
        await using var client = await daemon.ConnectAsync();
        await client.SendAsync("""{"command":"receive_messages","reqId":"w","timeout":60000}""" + "\n");
        await Eventually.WaitUntilAsync(() => Volatile.Read(ref daemon.Account.ReceiveCalls) == 1, "the receive is waiting");

        var clock = Stopwatch.StartNew();
        await daemon.Server.StopAsync();
        var response = await client.ReadResponseAsync();
        HasStatus(0, response);
        Assert.Empty(response.GetProperty("messages").EnumerateArray());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"stop took {clock.Elapsed}");
        await daemon.DisposeAsync();
    }

    [Fact]
    public async Task A_send_that_outlives_the_grace_period_is_cancelled_and_answered()
    {
        var daemon = TestDaemon.Start(grace: TimeSpan.FromMilliseconds(200));
        daemon.Account.SendDelay = TimeSpan.FromSeconds(60);
        await using var client = await daemon.ConnectAsync();
        await client.SendAsync(Send + "\n");
        await Eventually.WaitUntilAsync(() => Volatile.Read(ref daemon.Account.SendsStarted) == 1, "the send is in progress");
        await daemon.Server.StopAsync();
        var response = await client.ReadResponseAsync();
        HasStatus(-1, response);
        Assert.Equal("\"s\"", ReqId(response));
        Assert.Null(await client.ReadLineAsync());

        Assert.Empty(daemon.Account.SentMessages);
        await daemon.DisposeAsync();
    }
}
