using Google.Protobuf;
using SignalSharp.Service.Proto;

namespace SignalSharp.Service.Stickers;

/// <summary>One sticker of a pack: its id (its place on the CDN), the emoji it stands for, its image type.</summary>
public sealed record StickerInfo(int Id, string? Emoji, string? ContentType);

/// <summary>A pack's decrypted manifest: title, author, the cover sticker and the stickers.</summary>
public sealed record StickerManifest(string Title, string Author, StickerInfo? Cover, IReadOnlyList<StickerInfo> Stickers)
{
    /// <summary>Decrypts and parses a manifest as the sticker CDN serves it.</summary>
    /// <exception cref="InvalidStickerPackException">The key does not open it, or what it holds is not a manifest.</exception>
    public static StickerManifest Open(ReadOnlySpan<byte> blob, ReadOnlySpan<byte> packKey)
    {
        var plain = StickerCipher.Decrypt(blob, packKey);
        StickerPackManifest manifest;
        try
        {
            manifest = StickerPackManifest.Parser.ParseFrom(plain);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidStickerPackException("the manifest is not a sticker pack", e);
        }

        return new StickerManifest(manifest.Title, manifest.Author, manifest.Cover is { } cover ? Info(cover) : null,
            [.. manifest.Stickers.Select(Info)]);
    }

    /// <summary>The manifest's protobuf bytes (before sealing; a pack's creator, and tests, make these).</summary>
    public byte[] ToBytes()
    {
        var manifest = new StickerPackManifest { Title = Title, Author = Author };
        if (Cover is { } cover)
        {
            manifest.Cover = Entry(cover);
        }

        manifest.Stickers.Add(Stickers.Select(Entry));
        return manifest.ToByteArray();
    }

    private static StickerInfo Info(StickerPackManifest.Types.StickerEntry entry) =>
        new((int)entry.Id, entry.HasEmoji ? entry.Emoji : null, entry.HasContentType ? entry.ContentType : null);

    private static StickerPackManifest.Types.StickerEntry Entry(StickerInfo info)
    {
        var entry = new StickerPackManifest.Types.StickerEntry { Id = (uint)info.Id };
        if (info.Emoji is { } emoji)
        {
            entry.Emoji = emoji;
        }

        if (info.ContentType is { } type)
        {
            entry.ContentType = type;
        }

        return entry;
    }
}
