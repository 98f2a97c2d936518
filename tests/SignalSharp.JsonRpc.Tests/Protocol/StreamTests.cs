using System.IO.Pipelines;
using System.Text;
using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Tests.Support;

namespace SignalSharp.JsonRpc.Tests.Protocol;

/// <summary>A whole session over a pair of byte streams, as stdio and sockets carry it.</summary>
public sealed class StreamTests
{
    [Fact]
    public async Task A_stream_session_answers_lines_and_auto_subscribes_in_on_start_mode()
    {
        var fake = new FakeAccount();
        var frontEnd = new JsonRpcFrontEnd(fake, new JsonRpcOptions(Harness.Account, ReceiveMode.OnStart) { MaxLineBytes = 1024 });
        var toServer = new Pipe();
        var fromServer = new Pipe();
        var session = frontEnd.ServeAsync(toServer.Reader.AsStream(), fromServer.Writer.AsStream(), CancellationToken.None);
        var input = toServer.Writer.AsStream();
        using var output = new StreamReader(fromServer.Reader.AsStream(), Encoding.UTF8);

        // Two requests in one write, and a line over the limit between them: each is answered on its own line.
        await input.WriteAsync(Encoding.UTF8.GetBytes(
            "{\"jsonrpc\":\"2.0\",\"method\":\"version\",\"id\":1}\n" + new string(' ', 2000) + "x\n{\"jsonrpc\":\"2.0\",\"method\":\"version\",\"id\":2}\n"));
        var answers = new[] { await output.ReadLineAsync(), await output.ReadLineAsync(), await output.ReadLineAsync() };
        Assert.Contains("""{"jsonrpc":"2.0","result":{"version":"0.13.19"},"id":1}""", answers);
        Assert.Contains("""{"jsonrpc":"2.0","result":{"version":"0.13.19"},"id":2}""", answers);
        Assert.Contains("""{"jsonrpc":"2.0","error":{"code":-32700,"message":"Input line too long","data":null},"id":null}""", answers);

        fake.Deliver(new ReceivedMessage(9, FakeAccount.KnownNumber, "pushed", []));
        var notification = JsonLine.Parse(await output.ReadLineAsync());
        Assert.Equal("pushed", (string)notification["params"]!["envelope"]!["dataMessage"]!["message"]!);

        // The input ends: the session ends and its subscription stops.
        await toServer.Writer.CompleteAsync();
        await session;
        await Eventually.HoldsAsync(() => fake.Confirmed.Count == 1, "the pushed message is confirmed");
    }
}
