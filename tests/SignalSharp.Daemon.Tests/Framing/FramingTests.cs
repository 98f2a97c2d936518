using System.Text;
using SignalSharp.Daemon.Tests.Support;
using static SignalSharp.Daemon.Tests.Support.JsonAssert;

namespace SignalSharp.Daemon.Tests.Framing;

public sealed class FramingTests : ConnectedDaemonTest
{
    private static string Receive(string reqId) => $$$"""{"command":"receive_messages","reqId":"{{{reqId}}}","timeout":0}""";

    [Fact]
    public async Task One_object_per_line()
    {
        await Client.SendAsync(Receive("a") + "\n" + Receive("b") + "\n");
        Assert.Equal("\"a\"", ReqId(await Client.ReadResponseAsync()));
        Assert.Equal("\"b\"", ReqId(await Client.ReadResponseAsync()));
    }

    [Fact]
    public async Task Three_objects_on_one_line()
    {
        await Client.SendAsync(Receive("a") + Receive("b") + " \t" + Receive("c") + "\n");
        foreach (var id in new[] { "a", "b", "c" })
        {
            var response = await Client.ReadResponseAsync();
            HasStatus(0, response);
            Assert.Equal($"\"{id}\"", ReqId(response));
        }
    }

    [Fact]
    public async Task One_object_pretty_printed_over_ten_lines()
    {
        var pretty = """
            {
              "command": "send_message",
              "reqId": "pretty",
              "recipient": "+4366412345678",
              "dataMessage": {
                "message": "hi",
                "attachments": [
                  { "base64Data": "aGVsbG8=", "filename": "a.txt" }
                ]
              }
            }
            """;
        Assert.True(pretty.Split('\n').Length >= 10);
        await Client.SendAsync(pretty + "\n");
        var response = await Client.ReadResponseAsync();
        HasStatus(0, response);
        Assert.Equal("\"pretty\"", ReqId(response));
    }

    [Fact]
    public async Task One_object_written_a_byte_at_a_time()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"command":"send_message","reqId":"slow","recipient":"+4366412345678","dataMessage":{"message":"grüß 😀"}}""");
        foreach (var b in bytes)
        {
            await Client.SendAsync([b]);
            await Task.Delay(1);
        }

        // No newline sent: the closing brace alone completes the command.
        var response = await Client.ReadResponseAsync();
        HasStatus(0, response);
        Assert.Equal("\"slow\"", ReqId(response));
        Assert.True(Daemon.Account.SentMessages.TryDequeue(out var sent));
        Assert.Equal("grüß 😀", sent.Message.Text);
    }

    [Fact]
    public async Task CRLF_line_ends()
    {
        await Client.SendAsync("{\r\n\"command\":\"receive_messages\",\r\n\"reqId\":1,\r\n\"timeout\":0\r\n}\r\n" + Receive("b") + "\r\nhello\r\n" + Receive("c") + "\r\n");
        Assert.Equal("1", ReqId(await Client.ReadResponseAsync()));
        Assert.Equal("\"b\"", ReqId(await Client.ReadResponseAsync()));
        HasStatus(4, await Client.ReadResponseAsync());
        Assert.Equal("\"c\"", ReqId(await Client.ReadResponseAsync()));
    }

    [Fact]
    public async Task Each_response_is_one_line_even_for_a_multi_line_reqId()
    {
        await Client.SendAsync("{\"command\":\"receive_messages\",\"timeout\":0,\"reqId\":{\n  \"a\": [1,\n 2],\n  \"b\": \"x\"\n}}\n");
        var response = await Client.ReadResponseAsync();
        Assert.Equal("""{"a":[1,2],"b":"x"}""", ReqId(response));
    }

    [Fact]
    public async Task Half_close_still_answers_everything_sent()
    {
        await Client.SendAsync(Receive("a") + "\n" + Receive("b"));
        Client.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        Assert.Equal("\"a\"", ReqId(await Client.ReadResponseAsync()));
        Assert.Equal("\"b\"", ReqId(await Client.ReadResponseAsync()));
        Assert.Null(await Client.ReadLineAsync());
    }

    [Fact]
    public async Task An_object_left_open_at_the_end_of_input_gets_INVALID_JSON()
    {
        await Client.SendAsync("{\"command\":\"receive_messages\"");
        Client.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        HasStatus(4, await Client.ReadResponseAsync());
        Assert.Null(await Client.ReadLineAsync());
    }
}
