using System.Net;
using SignalSharp.Daemon.Server;
using SignalSharp.Daemon.Tests.Support;

namespace SignalSharp.Daemon.Tests.EndToEnd;

/// <summary>
/// <c>--auth-token-file</c>: a daemon bound to a non-loopback address carries out a client's commands only after its
/// first object showed the token; otherwise every command it sent is answered with an error and the connection
/// closes. Without a token the daemon stays open, as before.
/// </summary>
public sealed class AuthTokenTests : IDisposable
{
    private const string Secret = "correct horse battery staple 7f3a";

    private readonly string tokenFile = Path.GetTempFileName();

    public AuthTokenTests() => File.WriteAllText(tokenFile, Secret + "\n");

    public void Dispose() => File.Delete(tokenFile);

    [Fact]
    public async Task Without_the_token_every_command_is_refused_and_the_connection_closes()
    {
        var account = new FakeAccount();
        await using var server = Start(account);
        await using var client = await ConnectAsync(server);

        // Pipelined: both are answered with the refusal, then the daemon closes.
        await client.SendAsync("{command:'send_message',recipient:'+4366412345678',dataMessage:{message:'hi'},reqId:'a'}\n"
            + "{command:'receive_messages',timeout:0,reqId:'b'}\n");
        foreach (var reqId in new[] { "a", "b" })
        {
            var refused = await client.ReadResponseAsync();
            JsonAssert.HasStatus(-1, refused);
            Assert.Equal($"\"{reqId}\"", JsonAssert.ReqId(refused));
            Assert.Contains("authToken", refused.GetProperty("errorMessage").GetString());
        }

        Assert.Null(await client.ReadLineAsync());
        Assert.Empty(account.SentMessages);
        Assert.Equal(0, account.ReceiveCalls);
    }

    [Theory]
    [InlineData("{command:'auth',authToken:'wrong'}")]
    [InlineData("{command:'auth',authToken:'correct horse battery staple 7f3'}")]
    [InlineData("{command:'auth',authToken:42}")]
    [InlineData("{command:'auth'}")]
    [InlineData("not json")]
    [InlineData("{command:'auth',authToken:'correct horse battery staple 7f3a'")]
    public async Task A_wrong_or_missing_token_is_refused(string first)
    {
        var account = new FakeAccount();
        await using var server = Start(account);
        await using var client = await ConnectAsync(server);
        // The second object carries the right token, but the connection was refused already.
        await client.SendAsync(first + $"\n{{command:'send_message',authToken:'{Secret}',recipient:'+4366412345678',dataMessage:{{message:'hi'}}}}\n");
        JsonAssert.HasStatus(-1, await client.ReadResponseAsync());
        JsonAssert.HasStatus(-1, await client.ReadResponseAsync());
        Assert.Null(await client.ReadLineAsync());
        Assert.Empty(account.SentMessages);
    }

    [Fact]
    public async Task An_auth_object_opens_the_connection()
    {
        var account = new FakeAccount();
        await using var server = Start(account);
        await using var client = await ConnectAsync(server);
        var answer = await client.RoundTripAsync($"{{command:'auth',authToken:'{Secret}',reqId:7}}");
        JsonAssert.HasStatus(0, answer);
        Assert.Equal("auth", answer.GetProperty("command").GetString());
        JsonAssert.HasStatus(0, await client.RoundTripAsync("{command:'send_message',recipient:'+4366412345678',dataMessage:{message:'hi'}}"));
        JsonAssert.HasStatus(0, await client.RoundTripAsync("{command:'receive_messages',timeout:0}"));
        Assert.Single(account.SentMessages);
    }

    [Fact]
    public async Task A_first_command_that_carries_the_token_is_carried_out()
    {
        var account = new FakeAccount();
        await using var server = Start(account);
        await using var client = await ConnectAsync(server);
        var sent = await client.RoundTripAsync($$$"""{"command":"send_message","authToken":"{{{Secret}}}","recipient":"+4366412345678","dataMessage":{"message":"hi"}}""");
        JsonAssert.HasStatus(0, sent);
        Assert.Equal("send_message", sent.GetProperty("command").GetString());
        Assert.Single(account.SentMessages);
    }

    [Fact]
    public void An_empty_token_file_is_refused()
    {
        File.WriteAllText(tokenFile, " \n");
        Assert.Throws<InvalidDataException>(() => AuthToken.FromFile(tokenFile));
    }

    private DaemonServer Start(FakeAccount account)
    {
        var server = new DaemonServer(account, new DaemonOptions
        {
            EndPoint = new IPEndPoint(IPAddress.Any, 0),
            AuthToken = AuthToken.FromFile(tokenFile),
        });
        server.Start();
        return server;
    }

    private static Task<TestClient> ConnectAsync(DaemonServer server) =>
        TestClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.LocalEndPoint!.Port));
}
