using System.Net.Sockets;
using System.Text;
using SignalSharp.Daemon.Tests.Support;
using static SignalSharp.Daemon.Tests.Support.JsonAssert;

namespace SignalSharp.Daemon.Tests.EndToEnd;

public sealed class LimitsTests
{
    private const string Probe = """{"command":"receive_messages","reqId":"probe","timeout":0}""";

    [Fact]
    public async Task An_over_size_command_gets_an_error_and_then_the_connection_closes()
    {
        await using var daemon = TestDaemon.Start(maxCommandSize: 4096);
        await using var client = await daemon.ConnectAsync();

        // A command just under the limit is fine.
        var fits = $$$"""{"command":"send_message","recipient":"+4366412345678","dataMessage":{"message":"{{{new string('a', 3900)}}}"}}""";
        Assert.True(Encoding.UTF8.GetByteCount(fits) <= 4096);
        HasStatus(0, await client.RoundTripAsync(fits));

        var tooBig = $$$"""{"command":"send_message","recipient":"+4366412345678","dataMessage":{"message":"{{{new string('a', 20000)}}}"}}""";
        await client.SendAsync(tooBig + "\n" + Probe + "\n");
        var response = await client.ReadResponseAsync();
        HasStatus(-1, response);
        Assert.Contains("4096", response.GetProperty("errorMessage").GetString());
        Assert.Null(await client.ReadLineAsync());

        await using var other = await daemon.ConnectAsync();
        HasStatus(0, await other.RoundTripAsync(Probe));
    }

    [Fact]
    public async Task An_over_size_command_still_being_sent_gets_its_error()
    {
        await using var daemon = TestDaemon.Start(maxCommandSize: 1024);
        await using var client = await daemon.ConnectAsync();
        await client.SendAsync("{\"command\":\"send_message\",\"dataMessage\":{\"message\":\"" + new string('x', 2000));
        HasStatus(-1, await client.ReadResponseAsync());
        Assert.Null(await client.ReadLineAsync());
    }

    [Fact]
    public async Task Whitespace_and_garbage_do_not_count_against_the_limit()
    {
        await using var daemon = TestDaemon.Start(maxCommandSize: 1024);
        await using var client = await daemon.ConnectAsync();
        await client.SendAsync(new string(' ', 5000) + "\n" + new string('g', 5000) + "\n" + Probe + "\n");
        HasStatus(4, await client.ReadResponseAsync());
        HasStatus(0, await client.ReadResponseAsync());
    }

    [Fact]
    public async Task A_large_attachment_within_the_default_limit_arrives_intact()
    {
        await using var daemon = TestDaemon.Start();
        await using var client = await daemon.ConnectAsync();
        var data = new byte[12 * 1024 * 1024];
        new Random(7).NextBytes(data);
        var command = $$$"""{"command":"send_message","reqId":"big","recipient":"+4366412345678","dataMessage":{"attachments":[{"base64Data":"{{{Convert.ToBase64String(data)}}}","filename":"big.bin"}]}}""";
        var send = client.SendAsync(command + "\n" + Probe + "\n");
        var response = await client.ReadResponseAsync(TimeSpan.FromSeconds(30));
        await send;
        HasStatus(0, response);
        HasStatus(0, await client.ReadResponseAsync());
        Assert.True(daemon.Account.SentMessages.TryDequeue(out var sent));
        Assert.True(data.AsSpan().SequenceEqual(sent.Message.Attachments[0].Data.Span));
    }

    [Fact]
    public async Task A_client_that_vanishes_mid_command_leaves_the_daemon_healthy()
    {
        await using var daemon = TestDaemon.Start();
        for (var i = 0; i < 20; i++)
        {
            var client = await daemon.ConnectAsync();
            await client.SendAsync("{\"command\":\"send_message\",\"recipient\":\"+43664");
            if (i % 2 == 0)
            {
                // A hard reset instead of an orderly close.
                client.Socket.LingerState = new LingerOption(true, 0);
            }

            await client.DisposeAsync();
        }

        await using var healthy = await daemon.ConnectAsync();
        HasStatus(0, await healthy.RoundTripAsync(Probe));
    }

    [Fact]
    public async Task A_client_that_vanishes_during_a_wait_or_a_send_leaves_the_daemon_healthy()
    {
        await using var daemon = TestDaemon.Start();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        daemon.Account.SendGate = gate.Task;
        var waiting = await daemon.ConnectAsync();
        await waiting.SendAsync("""{"command":"receive_messages","timeout":2000}""" + "\n");
        var sending = await daemon.ConnectAsync();
        await sending.SendAsync("""{"command":"send_message","recipient":"+4366412345678","dataMessage":{"message":"x"}}""" + "\n" + Probe + "\n");

        // Both clients vanish only once the daemon is really waiting and really sending, however slow the machine.
        await Eventually.WaitUntilAsync(() => Volatile.Read(ref daemon.Account.ReceiveCalls) == 1, "the receive is waiting");
        await Eventually.WaitUntilAsync(() => Volatile.Read(ref daemon.Account.SendsStarted) == 1, "the send is in progress");
        waiting.Socket.LingerState = new LingerOption(true, 0);
        sending.Socket.LingerState = new LingerOption(true, 0);
        await waiting.DisposeAsync();
        await sending.DisposeAsync();
        gate.SetResult();

        // The send started before its client vanished, so it is completed, not dropped.
        await Eventually.WaitUntilAsync(() => !daemon.Account.SentMessages.IsEmpty, "the orphaned send has completed");
        await using var healthy = await daemon.ConnectAsync();
        HasStatus(0, await healthy.RoundTripAsync(Probe));
        Assert.Single(daemon.Account.SentMessages);
    }
}
