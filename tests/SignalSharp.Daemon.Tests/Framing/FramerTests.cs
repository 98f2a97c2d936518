using System.Text;
using CsCheck;
using SignalSharp.Daemon.Framing;

namespace SignalSharp.Daemon.Tests.Framing;

/// <summary>The framer on its own: the frames found never depend on how the bytes were split into reads.</summary>
public sealed class FramerTests
{
    private const string Stream =
        "{\"command\":\"receive_messages\",\"reqId\":\"a\"}\n" +
        "{command:'send_message',dataMessage:{message:'it\\'s {not} a \"brace\"'},}{\"x\":[1,[2,{}],\"]\"]}\r\n" +
        "hello\n" +
        "{\n  \"pretty\": [\n    {\"a\": \"😀\"}\n  ]\n}\n" +
        "{\n{\"command\":\"receive_messages\"}\n" +
        "}}} {\"after\":\"garbage on the same line\"}\n" +
        "{'unterminated\n" +
        "{\"last\":true}";

    [Fact]
    public void Frames_do_not_depend_on_how_the_input_is_split()
    {
        var bytes = Encoding.UTF8.GetBytes(Stream);
        var whole = Frame(bytes, [bytes.Length]);
        Assert.Equal(
        [
            "C:{\"command\":\"receive_messages\",\"reqId\":\"a\"}",
            "C:{command:'send_message',dataMessage:{message:'it\\'s {not} a \"brace\"'},}",
            "C:{\"x\":[1,[2,{}],\"]\"]}",
            "I",
            "C:{\n  \"pretty\": [\n    {\"a\": \"😀\"}\n  ]\n}",
            "I",
            "C:{\"command\":\"receive_messages\"}",
            "I",
            "I",
            "C:{\"last\":true}",
        ], whole);

        Gen.Int[1, 40].Array[1, 200].Sample(splits => Assert.Equal(whole, Frame(bytes, splits)), iter: 500);
    }

    [Fact]
    public void Relaxed_forms_are_flagged()
    {
        var framer = new CommandFramer(1 << 20);
        Feed(framer, "{\"a\":1}{a:1}{\"a\":'x'}{\"a\":[1,]}");
        Assert.Equal(FrameKind.Command, framer.TryRead(out _, out _));
        Assert.False(framer.LastCommandIsRelaxed);
        Assert.Equal(FrameKind.Command, framer.TryRead(out _, out _));
        Assert.True(framer.LastCommandIsRelaxed);
        Assert.Equal(FrameKind.Command, framer.TryRead(out _, out _));
        Assert.True(framer.LastCommandIsRelaxed);
    }

    [Fact]
    public void The_size_limit_counts_the_object_only()
    {
        var framer = new CommandFramer(16);
        Feed(framer, "          {\"a\":\"01234567\"}{\"a\":\"012345678\"}");
        Assert.Equal(FrameKind.Command, framer.TryRead(out var first, out _));
        Assert.Equal(16, first.Length);
        Assert.Equal(FrameKind.TooLarge, framer.TryRead(out _, out var error));
        Assert.Contains("16", error);
        Assert.Equal(FrameKind.NeedMoreData, framer.TryRead(out _, out _));
    }

    private static List<string> Frame(byte[] bytes, int[] splits)
    {
        var framer = new CommandFramer(1 << 20);
        var frames = new List<string>();
        var offset = 0;
        var i = 0;
        while (offset < bytes.Length)
        {
            var size = Math.Min(splits[i++ % splits.Length], bytes.Length - offset);
            var target = framer.GetReceiveBuffer(size);
            bytes.AsSpan(offset, size).CopyTo(target.Span);
            framer.Advance(size);
            offset += size;
            Drain(framer, frames);
        }

        return frames;
    }

    private static void Drain(CommandFramer framer, List<string> frames)
    {
        while (true)
        {
            switch (framer.TryRead(out var command, out _))
            {
                case FrameKind.NeedMoreData:
                    return;
                case FrameKind.Command:
                    frames.Add("C:" + Encoding.UTF8.GetString(command.Span));
                    break;
                case FrameKind.Invalid:
                    frames.Add("I");
                    break;
                case FrameKind.TooLarge:
                    frames.Add("T");
                    return;
            }
        }
    }

    private static void Feed(CommandFramer framer, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        bytes.CopyTo(framer.GetReceiveBuffer(bytes.Length).Span);
        framer.Advance(bytes.Length);
    }
}
