using System.Text;
using SignalSharp.Daemon.Framing;

namespace SignalSharp.Daemon.Tests.Framing;

/// <summary>The framer with commands beyond its small buffer (the native-memory path).</summary>
public sealed class BigFrameTests
{
    [Theory]
    [InlineData(16 * 1024)]
    [InlineData(61_441)]
    public void A_big_command_among_small_ones_frames_byte_exact_and_the_buffer_shrinks_after(int piece)
    {
        var payload = new byte[(3 * 1024 * 1024) + 5];
        new Random(12).NextBytes(payload);
        var big = "{\"command\":\"send_message\",\"data\":\"" + Convert.ToBase64String(payload) + "\"}";
        var input = Encoding.UTF8.GetBytes("{\"a\":1}\n" + big + "\n{\"b\":2}  {\"c\":'x'}\n");
        using var framer = new CommandFramer(1L << 30);
        var frames = new List<byte[]>();
        for (var offset = 0; offset < input.Length; offset += piece)
        {
            var size = Math.Min(piece, input.Length - offset);
            var target = framer.GetReceiveBuffer(size);
            input.AsSpan(offset, size).CopyTo(target.Span);
            framer.Advance(size);
            while (framer.TryRead(out var command, out _) == FrameKind.Command)
            {
                frames.Add(command.ToArray());
            }
        }

        Assert.Equal(["{\"a\":1}", big, "{\"b\":2}", "{\"c\":'x'}"], frames.Select(f => Encoding.UTF8.GetString(f)));

        // Once the big command is consumed, the next receive buffer is small again, and the framer still frames.
        var next = framer.GetReceiveBuffer(16);
        Assert.True(next.Length < 1 << 20, $"receive buffer of {next.Length} bytes after the big command");
        "{\"d\":4}"u8.CopyTo(next.Span);
        framer.Advance(7);
        Assert.Equal(FrameKind.Command, framer.TryRead(out var last, out _));
        Assert.Equal("{\"d\":4}", Encoding.UTF8.GetString(last.Span));
    }

    [Fact]
    public void A_big_command_over_the_limit_is_too_large_and_disposing_is_safe_twice()
    {
        var framer = new CommandFramer(2 * 1024 * 1024);
        var input = Encoding.UTF8.GetBytes("{\"x\":\"" + new string('A', 3 * 1024 * 1024) + "\"}");
        var kind = FrameKind.NeedMoreData;
        for (var offset = 0; offset < input.Length && kind == FrameKind.NeedMoreData; offset += 65536)
        {
            var size = Math.Min(65536, input.Length - offset);
            input.AsSpan(offset, size).CopyTo(framer.GetReceiveBuffer(size).Span);
            framer.Advance(size);
            kind = framer.TryRead(out _, out _);
        }

        Assert.Equal(FrameKind.TooLarge, kind);
        framer.Dispose();
        framer.Dispose();
    }
}
