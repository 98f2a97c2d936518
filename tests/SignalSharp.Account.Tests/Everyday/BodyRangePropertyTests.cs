using CsCheck;
using Google.Protobuf;
using SignalSharp.Account.Api;
using SignalSharp.Account.Proto;
using SignalSharp.Account.Receiving;

namespace SignalSharp.Account.Tests.Everyday;

/// <summary>
/// Mention and style ranges count UTF-16 code units, as Signal's apps write them: over texts of ASCII, accented
/// letters, emoji with skin tones and ZWJ sequences, and non-BMP symbols, a range laid over one piece of the text
/// still covers exactly that piece after the protobuf round trip; a range that reaches past the text (uint32
/// overflow included) is dropped, and no range handed out ever leaves its text.
/// </summary>
public sealed class BodyRangePropertyTests
{
    private static readonly string[] Pieces = ["a", "Hello ", "é", "ß", "👋🏽", "👩‍👩‍👧", "𝄞", "🎉", "中文", " ", "\uFFFC", "𐍈x", "🇦🇹"];

    private static readonly Gen<(string[] Parts, int Pick, uint Style)> Texts =
        Gen.Select(Gen.Int[0, Pieces.Length - 1].Array[1, 12], Gen.Int[0, 1000], Gen.UInt[1, 5])
            .Select((indexes, pick, style) => (indexes.Select(i => Pieces[i]).ToArray(), pick % indexes.Length, style));

    private static MessageDetails RoundTrip(string text, params BodyRange[] ranges)
    {
        var data = new DataMessage { Body = text };
        data.BodyRanges.Add(ranges);
        var parsed = Content.Parser.ParseFrom(new Content { DataMessage = data }.ToByteArray());
        return MessageDetailsReader.Details(parsed.DataMessage, null, new Dictionary<Guid, string>());
    }

    [Fact]
    public void A_range_over_one_piece_of_the_text_covers_exactly_that_piece()
    {
        var aci = Guid.NewGuid();
        Texts.Sample(t =>
        {
            var text = string.Concat(t.Parts);
            var start = t.Parts.Take(t.Pick).Sum(p => p.Length);
            var piece = t.Parts[t.Pick];
            var details = RoundTrip(text,
                new BodyRange { Start = (uint)start, Length = (uint)piece.Length, MentionAciBinary = ByteString.CopyFrom(aci.ToByteArray(bigEndian: true)) },
                new BodyRange { Start = (uint)start, Length = (uint)piece.Length, Style = t.Style });

            var mention = Assert.Single(details.Mentions);
            var style = Assert.Single(details.TextStyles);
            Assert.Equal(piece, text.Substring(mention.Start, mention.Length));
            Assert.Equal(piece, text.Substring(style.Start, style.Length));
            Assert.Equal(aci.ToString(), mention.ServiceId);
            Assert.Equal((TextStyle)t.Style, style.Style);
        });
    }

    [Fact]
    public void A_range_is_kept_exactly_when_it_lies_inside_its_text()
    {
        var bounds = Gen.OneOf(Gen.UInt[0, 40], Gen.UInt, Gen.Const(uint.MaxValue));
        Gen.Select(Texts, bounds, bounds).Sample((t, start, length) =>
        {
            var text = string.Concat(t.Parts);
            var details = RoundTrip(text, new BodyRange { Start = start, Length = length, Style = t.Style });

            var inside = (long)start + length <= text.Length;
            Assert.Equal(inside ? 1 : 0, details.TextStyles.Count);
            Assert.All(details.TextStyles, s => Assert.True(s.Start >= 0 && s.Length >= 0 && s.Start + s.Length <= text.Length));
        });
    }

    [Fact]
    public void A_mention_without_a_valid_service_id_and_a_style_outside_the_known_ones_are_dropped()
    {
        var details = RoundTrip("@x",
            new BodyRange { Start = 0, Length = 1, MentionAciBinary = ByteString.CopyFrom(new byte[15]) },
            new BodyRange { Start = 0, Length = 1, MentionAci = "not a uuid" },
            new BodyRange { Start = 0, Length = 1, Style = 0 },
            new BodyRange { Start = 0, Length = 1, Style = 6 },
            new BodyRange { Start = 0, Length = 1 });

        Assert.Empty(details.Mentions);
        Assert.Empty(details.TextStyles);
    }
}
