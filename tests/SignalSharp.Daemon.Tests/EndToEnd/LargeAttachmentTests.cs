using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using SignalSharp.Account.Api;
using SignalSharp.Daemon.Commands;
using SignalSharp.Daemon.Tests.Support;
using static SignalSharp.Daemon.Tests.Support.JsonAssert;

namespace SignalSharp.Daemon.Tests.EndToEnd;

/// <summary>
/// Big attachments take the daemon's memory-saving paths: base64Data decoded from the command's bytes (and, in a
/// command over 1 MiB, taken out before parsing), and receive answers written in base64 slices. Each must give
/// exactly what the plain paths gave.
/// </summary>
public sealed class LargeAttachmentTests
{
    private const string Probe = """{"command":"receive_messages","reqId":"probe","timeout":0}""";

    private static byte[] RandomBytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    private static async Task SendInPiecesAsync(TestClient client, byte[] bytes, int piece)
    {
        for (var i = 0; i < bytes.Length; i += piece)
        {
            await client.SendAsync(bytes.AsSpan(i, Math.Min(piece, bytes.Length - i)).ToArray());
        }
    }

    [Fact]
    public async Task Big_attachments_split_across_many_writes_decode_byte_exact_and_in_order()
    {
        await using var daemon = TestDaemon.Start();
        await using var client = await daemon.ConnectAsync();
        byte[][] data = [RandomBytes(2 * 1024 * 1024 + 1, 1), RandomBytes(5, 2), RandomBytes(1536 * 1024 + 2, 3), []];
        var attachments = string.Join(",", data.Select((d, i) => $$"""{"base64Data":"{{Convert.ToBase64String(d)}}","filename":"f{{i}}"}"""));
        var command = $$$"""{"command":"send_message","reqId":7,"recipient":"+4366412345678","dataMessage":{"message":"m","attachments":[{{{attachments}}}]}}""";
        await SendInPiecesAsync(client, Encoding.UTF8.GetBytes(command + "\n" + Probe + "\n"), 7001);
        var response = await client.ReadResponseAsync(TimeSpan.FromSeconds(30));
        HasStatus(0, response);
        Assert.Equal(7, response.GetProperty("reqId").GetInt32());
        HasStatus(0, await client.ReadResponseAsync(TimeSpan.FromSeconds(30)));
        Assert.True(daemon.Account.SentMessages.TryDequeue(out var sent));
        Assert.Equal("m", sent.Message.Text);
        Assert.Equal(data.Length, sent.Message.Attachments.Count);
        for (var i = 0; i < data.Length; i++)
        {
            Assert.True(data[i].AsSpan().SequenceEqual(sent.Message.Attachments[i].Data.Span), $"attachment {i}");
            Assert.Equal($"f{i}", sent.Message.Attachments[i].FileName);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(65536)]
    [InlineData(int.MaxValue)]
    public async Task A_command_pipelined_behind_a_big_one_is_answered_without_more_input(int piece)
    {
        // Once hung: the receive's reset watch could block the connection in a peek until the client wrote again.
        await using var daemon = TestDaemon.Start();
        await using var client = await daemon.ConnectAsync();
        var data = RandomBytes(3 * 1024 * 1024, 4);
        var command = $$$"""{"command":"send_message","recipient":"+4366412345678","dataMessage":{"attachments":[{"base64Data":"{{{Convert.ToBase64String(data)}}}"}]}}""";
        var bytes = Encoding.UTF8.GetBytes(command + "\n" + Probe + "\n");
        if (piece == 1)
        {
            // The probe's bytes arrive alone, after the big command's.
            await client.SendAsync(bytes.AsSpan(0, command.Length + 1).ToArray());
            await client.SendAsync(bytes.AsSpan(command.Length + 1).ToArray());
        }
        else
        {
            await SendInPiecesAsync(client, bytes, Math.Min(piece, bytes.Length));
        }

        HasStatus(0, await client.ReadResponseAsync(TimeSpan.FromSeconds(30)));
        HasStatus(0, await client.ReadResponseAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_big_relaxed_command_and_a_big_escaped_value_decode_byte_exact()
    {
        await using var daemon = TestDaemon.Start();
        await using var client = await daemon.ConnectAsync();
        var data = RandomBytes(1200 * 1024, 4);
        var base64 = Convert.ToBase64String(data);
        await client.SendAsync($$"""{command:'send_message',recipient:'+4366412345678',dataMessage:{attachments:[{base64Data:'{{base64}}',},],},}""" + "\n");
        HasStatus(0, await client.ReadResponseAsync(TimeSpan.FromSeconds(30)));

        // JSON allows "\/" for '/': such a value is not taken out early but still decodes.
        await client.SendAsync($$$"""{"command":"send_message","recipient":"+4366412345678","dataMessage":{"attachments":[{"base64Data":"{{{base64.Replace("/", "\\/", StringComparison.Ordinal)}}}"}]}}""" + "\n");
        HasStatus(0, await client.ReadResponseAsync(TimeSpan.FromSeconds(30)));
        for (var i = 0; i < 2; i++)
        {
            Assert.True(daemon.Account.SentMessages.TryDequeue(out var sent));
            Assert.True(data.AsSpan().SequenceEqual(sent.Message.Attachments[0].Data.Span), $"command {i}");
        }
    }

    [Fact]
    public async Task Invalid_base64_in_a_big_command_is_status_3_naming_the_attachment()
    {
        await using var daemon = TestDaemon.Start();
        await using var client = await daemon.ConnectAsync();
        var good = Convert.ToBase64String(RandomBytes(1024 * 1024, 5));
        var bad = Convert.ToBase64String(RandomBytes(300 * 1024, 6)).Insert(1000, "*");
        var command = $$$"""{"command":"send_message","reqId":"r","recipient":"+4366412345678","dataMessage":{"attachments":[{"base64Data":"{{{good}}}"},{"base64Data":"{{{bad}}}"}]}}""";
        var response = await client.RoundTripAsync(command);
        HasStatus(3, response);
        Assert.Contains("attachment 1", response.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Equal("send_message", response.GetProperty("command").GetString());
        Assert.True(daemon.Account.SentMessages.IsEmpty);
    }

    [Fact]
    public async Task A_client_cannot_forge_the_marker_of_a_value_taken_out()
    {
        await using var daemon = TestDaemon.Start();
        await using var client = await daemon.ConnectAsync();
        var big = Convert.ToBase64String(RandomBytes(1024 * 1024, 8));
        var command = $$$"""{"command":"send_message","recipient":"+4366412345678","dataMessage":{"attachments":[{"base64Data":"{{{big}}}"},{"base64Data":"\u00000000000000000000:0"}]}}""";
        HasStatus(3, await client.RoundTripAsync(command));
        Assert.True(daemon.Account.SentMessages.IsEmpty);
    }

    [Fact]
    public async Task A_receive_answer_with_big_attachments_is_byte_exact()
    {
        await using var daemon = TestDaemon.Start();
        await using var client = await daemon.ConnectAsync();
        var big = RandomBytes((3 * 1024 * 1024) + 7, 9);
        var small = RandomBytes(10, 10);
        daemon.Account.Deliver(
            new ReceivedMessage(1, "+4366412345678", "a\"b\n😀", [new ReceivedAttachment(big, "big.bin", "application/octet-stream", big.Length), new ReceivedAttachment(small, null, null, null)]),
            new ReceiveFailure(ReceiveFailureKind.ParsingError, "bad"),
            new ReceivedMessage(2, "+4366412345678", null, [new ReceivedAttachment(RandomBytes(768 * 1024, 11), "exact.bin", null, 768 * 1024)]));
        await client.SendAsync("""{"command":"receive_messages","reqId":[1],"timeout":0}""" + "\n" + Probe + "\n");
        var line = await ReadBigLineAsync(client.Socket);
        using var document = JsonDocument.Parse(line.Item1);
        var root = document.RootElement;
        HasStatus(0, root);
        Assert.Equal("[1]", root.GetProperty("reqId").GetRawText());
        var messages = root.GetProperty("messages");
        Assert.Equal(3, messages.GetArrayLength());
        var first = messages[0];
        Assert.Equal("a\"b\n😀", first.GetProperty("body").GetString());
        Assert.Equal(big, first.GetProperty("attachments")[0].GetProperty("base64Data").GetBytesFromBase64());
        Assert.Equal("big.bin", first.GetProperty("attachments")[0].GetProperty("filename").GetString());
        Assert.Equal(big.Length, first.GetProperty("attachments")[0].GetProperty("size").GetInt32());
        Assert.Equal(small, first.GetProperty("attachments")[1].GetProperty("base64Data").GetBytesFromBase64());
        Assert.Equal(10, messages[1].GetProperty("statusCode").GetInt32());
        Assert.Equal(768 * 1024, messages[2].GetProperty("attachments")[0].GetProperty("base64Data").GetBytesFromBase64().Length);

        // One line: the slices are not separate writes of separate answers, and the next answer follows intact.
        Assert.DoesNotContain((byte)'\n', line.Item1);
        using var next = JsonDocument.Parse(line.Item2);
        Assert.Equal("probe", next.RootElement.GetProperty("reqId").GetString());
        await Eventually.WaitUntilAsync(() => daemon.Account.Confirmed.Count == 3, "the three items confirmed");
    }

    /// <summary>The first response line and the second, read straight off the socket (the test client's lines are short).</summary>
    private static async Task<(byte[], byte[])> ReadBigLineAsync(Socket socket)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = new MemoryStream();
        var scratch = new byte[64 * 1024];
        while (true)
        {
            var bytes = received.GetBuffer().AsSpan(0, (int)received.Length);
            var first = bytes.IndexOf((byte)'\n');
            if (first >= 0 && bytes[(first + 1)..].IndexOf((byte)'\n') is var second and >= 0)
            {
                return (bytes[..first].ToArray(), bytes.Slice(first + 1, second).ToArray());
            }

            var n = await socket.ReceiveAsync(scratch, SocketFlags.None, cts.Token);
            Assert.NotEqual(0, n);
            received.Write(scratch, 0, n);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("QQ==")]
    [InlineData("QUI=")]
    [InlineData("QUJD")]
    [InlineData("QU JD")]
    [InlineData("QUJ DRA==")]
    [InlineData("QUJDRA")]
    [InlineData("QUJD*")]
    [InlineData("=QUJD")]
    [InlineData("QUJDRA=")]
    public void Decoding_from_bytes_agrees_with_the_json_element(string base64)
    {
        using var document = JsonDocument.Parse($"\"{base64}\"");
        var expectedOk = document.RootElement.TryGetBytesFromBase64(out var expected);
        var ok = Base64Data.TryDecode(document.RootElement, null, out var actual);
        Assert.Equal(expectedOk, ok);
        if (ok)
        {
            Assert.Equal(expected, actual);
        }
    }
}
