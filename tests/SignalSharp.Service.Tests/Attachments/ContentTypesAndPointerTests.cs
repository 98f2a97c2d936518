using SignalSharp.Service.Attachments;

namespace SignalSharp.Service.Tests.Attachments;

public sealed class ContentTypesAndPointerTests
{
    [Theory]
    [InlineData("89504E470D0A1A0A0000000D49484452", "x.bin", "image/png")]
    [InlineData("FFD8FFE000104A464946", null, "image/jpeg")]
    [InlineData("474946383961", null, "image/gif")]
    [InlineData("52494646000000005745425056503820", null, "image/webp")]
    [InlineData("255044462D312E37", "a.txt", "application/pdf")]
    [InlineData("000000186674797069736F6D", null, "video/mp4")]
    [InlineData("00000014667479707174202000000000", null, "video/quicktime")]
    [InlineData("4F67675300020000", null, "audio/ogg")]
    [InlineData("504B0304140000000800", "doc.docx", "application/zip")]
    [InlineData("1F8B0800", null, "application/gzip")]
    [InlineData("68656C6C6F", "notes.TXT", "text/plain")]
    [InlineData("68656C6C6F", "clip.mp4", "video/mp4")]
    [InlineData("68656C6C6F", "noext", "application/octet-stream")]
    [InlineData("", null, "application/octet-stream")]
    [InlineData("FFD8", "short.jpg", "image/jpeg")]
    public void Magic_bytes_first_then_the_extension_then_octet_stream(string headHex, string? fileName, string expected) =>
        Assert.Equal(expected, ContentTypes.Detect(Convert.FromHexString(headHex), fileName));

    [Fact]
    public void Sniffing_a_stream_leaves_its_position_alone()
    {
        using var stream = new MemoryStream(Convert.FromHexString("00FFD8FFE0"));
        stream.Position = 1;
        Assert.Equal("image/jpeg", ContentTypes.Detect(stream, null));
        Assert.Equal(1, stream.Position);
    }

    [Fact]
    public void Pointer_protobuf_round_trip_keeps_every_field()
    {
        var pointer = new AttachmentPointerData
        {
            CdnNumber = 3,
            CdnKey = "abc-123",
            Key = AttachmentCipher.NewKey(),
            Digest = new byte[32],
            Size = 123_456,
            ContentType = "image/png",
            FileName = "p.png",
            UploadTimestamp = 1_700_000_000_123,
            Width = 10,
            Height = 20,
            Caption = "hi",
        };

        var back = AttachmentPointerData.FromProtobuf(pointer.ToProtobuf());

        Assert.Equal(pointer with { Key = back.Key, Digest = back.Digest }, back);
        Assert.Equal(pointer.Key, back.Key);
        Assert.Equal("attachments/abc-123", back.CdnPath);
    }

    [Fact]
    public void Pointers_without_key_digest_or_location_are_rejected()
    {
        var good = new AttachmentPointerData { CdnNumber = 3, CdnKey = "k", Key = new byte[64], Digest = new byte[32], Size = 1 };
        Assert.Throws<InvalidAttachmentPointerException>(() => AttachmentPointerData.FromProtobuf((good with { Key = new byte[32] }).ToProtobuf()));
        Assert.Throws<InvalidAttachmentPointerException>(() => AttachmentPointerData.FromProtobuf((good with { Digest = [] }).ToProtobuf()));
        Assert.Throws<InvalidAttachmentPointerException>(() => AttachmentPointerData.FromProtobuf((good with { CdnKey = null }).ToProtobuf()));
        Assert.Throws<InvalidAttachmentPointerException>(() => AttachmentPointerData.FromProtobuf([0xFF, 0xFF]));
        Assert.Equal("attachments/42", (good with { CdnNumber = 0, CdnKey = null, CdnId = 42 }).CdnPath);
    }
}
