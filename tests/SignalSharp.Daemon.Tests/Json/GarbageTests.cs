using System.Text;
using SignalSharp.Daemon.Tests.Support;
using static SignalSharp.Daemon.Tests.Support.JsonAssert;

namespace SignalSharp.Daemon.Tests.Json;

/// <summary>Input that is not JSON gets INVALID_JSON once, and the command on the next line is answered.</summary>
public sealed class GarbageTests : ConnectedDaemonTest
{
    private const string Next = """{"command":"receive_messages","reqId":"next","timeout":0}""";
    public static TheoryData<byte[]> Garbage()
    {
        var random = new Random(1234);
        var binary = new byte[4096];
        random.NextBytes(binary);
        binary[0] = 0xFF;
        for (var i = 0; i < binary.Length; i++)
        {
            // One line of binary: a newline would start another line and so another answer.
            if (binary[i] == '\n')
            {
                binary[i] = 0x00;
            }
        }

        return new TheoryData<byte[]>
        {
            Encoding.UTF8.GetBytes("hello"),
            Encoding.UTF8.GetBytes("{"),
            Encoding.UTF8.GetBytes("}}}"),
            binary,
            new byte[] { 0x00 },
            Encoding.UTF8.GetBytes("{\"command\":\"receive_messages\""),
            Encoding.UTF8.GetBytes("{\"command\":'receive_messages}"),
            Encoding.UTF8.GetBytes("{command:\"unterminated"),
            Encoding.UTF8.GetBytes("[{\"command\":\"receive_messages\"}]"),
            Encoding.UTF8.GetBytes("{\"a\":1}}"),
            Encoding.UTF8.GetBytes("null"),
            Encoding.UTF8.GetBytes(new string('[', 100)),
            Encoding.UTF8.GetBytes("{\"a\":" + new string('[', 100)),
        };
    }

    [Theory]
    [MemberData(nameof(Garbage))]
    public async Task Garbage_gets_INVALID_JSON_and_the_next_line_is_answered(byte[] garbage)
    {
        await Client.SendAsync([.. garbage, (byte)'\n', .. Encoding.UTF8.GetBytes(Next + "\n")]);
        var first = await Client.ReadResponseAsync();
        if (garbage is [(byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'1', ..])
        {
            // A complete object ({"a":1}) comes first and is answered on its own; the stray '}' is the garbage.
            HasStatus(1, first);
            first = await Client.ReadResponseAsync();
        }

        HasStatus(4, first);
        var next = await Client.ReadResponseAsync();
        HasStatus(0, next);
        Assert.Equal("\"next\"", ReqId(next));
    }

    [Fact]
    public async Task A_garbage_line_between_commands_gets_one_answer()
    {
        await Client.SendAsync(Next + "\nthis is { not : json ] at all\n" + Next + "\n");
        HasStatus(0, await Client.ReadResponseAsync());
        HasStatus(4, await Client.ReadResponseAsync());
        HasStatus(0, await Client.ReadResponseAsync());
    }

    [Fact]
    public async Task A_fault_on_a_later_line_of_a_pretty_object_does_not_swallow_the_next_command()
    {
        await Client.SendAsync("{\n  \"command\": \"send_message\",\n  oops oops\n  \"recipient\": \"+4366412345678\"\n}\n" + Next + "\n");
        HasStatus(4, await Client.ReadResponseAsync());
        // The faulty line is dropped with the object; each later line that cannot start a command gets its own
        // INVALID_JSON, and the command after them is answered.
        var responses = new List<int>();
        while (true)
        {
            var response = await Client.ReadResponseAsync();
            responses.Add(Status(response));
            if (ReqId(response) == "\"next\"")
            {
                break;
            }
        }

        Assert.Equal(0, responses[^1]);
        Assert.All(responses[..^1], s => Assert.Equal(4, s));
    }

    [Fact]
    public async Task Garbage_in_the_same_line_after_a_command_is_answered_after_it()
    {
        await Client.SendAsync(Next + " trailing junk " + Next + "\n" + Next + "\n");
        HasStatus(0, await Client.ReadResponseAsync());
        HasStatus(4, await Client.ReadResponseAsync());
        HasStatus(0, await Client.ReadResponseAsync());
    }
}
