using SignalSharp.Account.Api;
using SignalSharp.Account.Stickers;

namespace SignalSharp.Account.Tests.Stickers;

/// <summary>Sticker pack links as Signal's apps share them; anything else is an <see cref="InvalidStickerPackLinkException"/>.</summary>
public sealed class StickerPackLinkTests
{
    private const string Id = "0123456789abcdef0123456789abcdef";
    private static readonly string Key = string.Concat(Enumerable.Repeat("a1", 32));

    [Theory]
    [InlineData("https://signal.art/addstickers/#pack_id={0}&pack_key={1}")]
    [InlineData("https://signal.art/addstickers#pack_key={1}&pack_id={0}")]
    [InlineData("sgnl://addstickers/?pack_id={0}&pack_key={1}")]
    [InlineData("  https://signal.art/addstickers/#pack_id={0}&pack_key={1}\n")]
    public void Signals_link_forms_give_the_pack_id_and_key(string format)
    {
        var (packId, packKey) = StickerPackLink.Parse(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, Id, Key));

        Assert.Equal(Convert.FromHexString(Id), packId);
        Assert.Equal(Convert.FromHexString(Key), packKey);
    }

    [Theory]
    [InlineData("", "not a URI")]
    [InlineData("pack_id=00", "not a URI")]
    [InlineData("https://example.com/addstickers/#pack_id={0}&pack_key={1}", "expected https://signal.art")]
    [InlineData("http://signal.art/addstickers/#pack_id={0}&pack_key={1}", "expected https://signal.art")]
    [InlineData("https://signal.art/other/#pack_id={0}&pack_key={1}", "expected https://signal.art")]
    [InlineData("https://signal.art/addstickers/?pack_id={0}&pack_key={1}", "pack_id is missing")]
    [InlineData("https://signal.art/addstickers/#pack_id={0}", "pack_key is missing")]
    [InlineData("https://signal.art/addstickers/#pack_id=0123&pack_key={1}", "pack_id must be 32 hex digits")]
    [InlineData("https://signal.art/addstickers/#pack_id={0}&pack_key=zz{1}", "pack_key must be 64 hex digits")]
    [InlineData("https://signal.art/addstickers/#pack_id={0}&pack_key={0}", "pack_key must be 64 hex digits")]
    public void Anything_else_is_an_invalid_link_with_the_reason(string format, string reason)
    {
        var link = string.Format(System.Globalization.CultureInfo.InvariantCulture, format, Id, Key);
        var e = Assert.Throws<InvalidStickerPackLinkException>(() => StickerPackLink.Parse(link));

        Assert.StartsWith("Invalid sticker pack link", e.Message, StringComparison.Ordinal);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }
}
