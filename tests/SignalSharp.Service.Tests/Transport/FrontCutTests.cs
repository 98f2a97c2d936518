using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Tests.Support;
using SignalSharp.Service.Transport;

namespace SignalSharp.Service.Tests.Transport;

/// <summary>
/// Issue 14 defect 2 through the production-style front: the authenticated socket's connection is cut right after
/// CONNECT, and at random points, hundreds of times; afterwards the socket is back and a message a contact sends
/// arrives on it (the mock delivers it only to a live socket).
/// </summary>
[Collection(FrontServerCollection.Name)]
public sealed class FrontCutTests(FrontServerFixture fixture)
{
    private const int CutsAfterConnect = 150;
    private const int RandomCuts = 100;

    private static readonly ChatConnectionOptions Fast = new()
    {
        RequestTimeout = TimeSpan.FromSeconds(30),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        KeepAliveInterval = TimeSpan.FromMilliseconds(200),
        KeepAliveTimeout = TimeSpan.FromSeconds(5),
        Reconnect = new Backoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(40)),
    };

    [Theory]
    [InlineData("omnibus", "2")]
    [InlineData("legacy", "1.1")]
    public async Task The_authenticated_socket_survives_hundreds_of_cuts_and_delivers_afterwards(string listener, string http)
    {
        var mock = await fixture.GetAsync();
        var device = (await mock.CommandAsync("createSecondary", new JsonObject { ["of"] = "phone" }))!;
        var credentials = new ChatCredentials(device["aci"]!.GetValue<string>(), device["deviceId"]!.GetValue<uint>(), device["password"]!.GetValue<string>());
        var log = new TestLogger();
        await using var chat = new ChatConnection(MockProfile.ForFront(mock, (listener, http)), credentials, Fast, log);
        await chat.StartAsync();
        var drained = DrainAsync(chat);

        await mock.SetFrontAsync(new JsonObject { ["cutAfterConnect"] = new JsonObject { ["socket"] = "auth", ["times"] = CutsAfterConnect } });
        await mock.CommandAsync("frontCloseSockets", new JsonObject { ["socket"] = "auth" });
        await WaitForCutsAsync(mock, CutsAfterConnect, log);
        await mock.SetFrontAsync(new JsonObject
        {
            ["cutAfterConnect"] = null,
            ["cutRandomly"] = new JsonObject { ["socket"] = "auth", ["minMs"] = 0, ["maxMs"] = 150 },
        });
        await mock.CommandAsync("frontCloseSockets", new JsonObject { ["socket"] = "auth" });
        await WaitForCutsAsync(mock, CutsAfterConnect + RandomCuts, log);
        await mock.SetFrontAsync(new JsonObject { ["cutRandomly"] = null });
        await mock.CommandAsync("frontCloseSockets", new JsonObject { ["socket"] = "auth" });

        var text = "after the cuts " + Guid.NewGuid().ToString("N")[..8];
        var delivered = await drained.WaitForMessageAsync(() =>
            mock.CommandAsync("sendText", new JsonObject { ["from"] = "alice", ["to"] = device["name"]!.GetValue<string>(), ["text"] = text }));

        Assert.Equal("PUT", delivered.Verb);
        Assert.NotEqual(ChatConnectionState.Closed, chat.State);
        Assert.True(chat.ConnectCount > CutsAfterConnect, $"{chat.ConnectCount} connects");
        Assert.DoesNotContain(log.Lines, l => l.Contains("supervisor ended", StringComparison.Ordinal));
    }

    // Counts the front's switch cuts only (frontCloseSockets cuts are not counted).
    private static async Task WaitForCutsAsync(MockServer mock, int cuts, TestLogger log)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while ((await mock.FrontStatsAsync())["cuts"]!.GetValue<int>() < cuts)
        {
            if (timeout.IsCancellationRequested)
            {
                Assert.Fail("the cuts stopped at " + (await mock.FrontStatsAsync())["cuts"] + ": the client stopped reconnecting\n" + string.Join('\n', log.Lines.TakeLast(25)) + "\n" + string.Join('\n', mock.StandardErrorText.Split('\n').TakeLast(15)));
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }

    private static Drain DrainAsync(ChatConnection chat) => new(chat);

    /// <summary>Answers every server request (queue-empty markers, envelopes) and hands on the first message after a trigger.</summary>
    private sealed class Drain(ChatConnection chat)
    {
        public async Task<IncomingRequest> WaitForMessageAsync(Func<Task> trigger)
        {
            // Whatever was queued before the trigger is acknowledged and skipped.
            while (chat.IncomingRequests.TryRead(out var old))
            {
                await old.RespondAsync(200);
            }

            var sending = trigger();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (true)
            {
                var request = await chat.IncomingRequests.ReadAsync(timeout.Token);
                await request.RespondAsync(200);
                if (request.Path == "/api/v1/message")
                {
                    await sending;
                    return request;
                }
            }
        }
    }
}
