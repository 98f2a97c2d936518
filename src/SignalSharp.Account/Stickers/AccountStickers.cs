using System.Runtime.CompilerServices;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using SignalSharp.Account.Api;
using SignalSharp.Account.Proto;
using SignalSharp.Service.Stickers;
using SignalSharp.Store;
using SignalSharp.Store.Stickers;

namespace SignalSharp.Account.Stickers;

/// <summary>
/// The account's <see cref="IAccountStickers"/>: packs installed by link, packs remembered from received stickers and
/// from the primary's install syncs, and the sticker a message sends (its image fetched from the sticker CDN,
/// decrypted, and sent as an ordinary attachment).
/// </summary>
internal sealed class AccountStickers(AccountDatabase db, StickerDownloader cdn, ILogger logger) : IAccountStickers
{
    /// <summary>Signal's apps send a sticker image of unknown type as WebP, the format packs are made of.</summary>
    private const string DefaultContentType = "image/webp";

    // One image per sticker asked for: a message sent to several recipients one by one then fetches it once, and the
    // same attachment instance lets the upload be reused too.
    private readonly ConditionalWeakTable<OutgoingSticker, OutgoingAttachment> images = [];

    public Task<StickerPackSummary> AddStickerPackAsync(string link, CancellationToken cancellationToken) =>
        StoreGuard.RunAsync(() => InstallAsync(link, cancellationToken));

    public Task<IReadOnlyList<StickerPackSummary>> ListStickerPacksAsync(CancellationToken cancellationToken) => StoreGuard.RunAsync<IReadOnlyList<StickerPackSummary>>(async () =>
        [.. (await db.StickerPacks.ListAsync(cancellationToken).ConfigureAwait(false)).Select(Summary)]);

    private async Task<StickerPackSummary> InstallAsync(string link, CancellationToken cancellationToken)
    {
        var (packId, packKey) = StickerPackLink.Parse(link);
        StickerPackRecord pack;
        try
        {
            pack = await FetchAsync(packId, packKey, installed: true, cancellationToken).ConfigureAwait(false);
        }
        catch (StickerException e)
        {
            throw new StickerPackUnavailableException(Reason(e), e);
        }

        StickerLog.Installed(logger, Convert.ToHexStringLower(packId), pack.Stickers.Count);
        return Summary(pack);
    }

    /// <summary>
    /// The DataMessage's sticker (without its image pointer) and the image to upload for it. The pack must be known;
    /// a pack only seen in a received sticker has its manifest fetched now.
    /// </summary>
    /// <exception cref="InvalidStickerException">Unknown pack, a sticker not in it, or an image that cannot be fetched.</exception>
    public async Task<(DataMessage.Types.Sticker Sticker, OutgoingAttachment Image)> ForSendingAsync(OutgoingSticker sticker, CancellationToken cancellationToken)
    {
        if (!StickerPackLink.TryPackId(sticker.PackId, out var packId))
        {
            throw new InvalidStickerException($"the pack id must be {StickerCipher.PackIdLength * 2} hex digits");
        }

        var pack = await db.StickerPacks.GetAsync(packId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidStickerException("Sticker pack not found");
        try
        {
            if (!pack.HasManifest)
            {
                pack = await FetchAsync(packId, pack.PackKey, installed: null, cancellationToken).ConfigureAwait(false);
            }

            var info = pack.Stickers.FirstOrDefault(s => s.Id == sticker.StickerId)
                ?? throw new InvalidStickerException("Sticker id not part of this pack");
            if (!images.TryGetValue(sticker, out var image))
            {
                var plain = StickerCipher.Decrypt(await cdn.StickerAsync(packId, info.Id, cancellationToken).ConfigureAwait(false), pack.PackKey);
                image = new OutgoingAttachment(plain, null, info.ContentType ?? DefaultContentType);
                images.AddOrUpdate(sticker, image);
            }

            var proto = new DataMessage.Types.Sticker
            {
                PackId = ByteString.CopyFrom(packId),
                PackKey = ByteString.CopyFrom(pack.PackKey),
                StickerId = (uint)info.Id,
            };
            if (info.Emoji is { } emoji)
            {
                proto.Emoji = emoji;
            }

            return (proto, image);
        }
        catch (StickerException e)
        {
            throw new InvalidStickerException(Reason(e), e);
        }
    }

    /// <summary>A received sticker names its pack and key: the pack becomes known (not installed). A sync's install or removal sets the flag.</summary>
    public async Task OnContentAsync(Content content, bool fromOwnDevice, CancellationToken cancellationToken)
    {
        if (content.DataMessage?.Sticker is { } sticker && IsPack(sticker.PackId, sticker.PackKey))
        {
            await RememberAsync(sticker.PackId, sticker.PackKey, null, cancellationToken).ConfigureAwait(false);
        }

        if (!fromOwnDevice || content.SyncMessage is not { } sync)
        {
            return;
        }

        foreach (var operation in sync.StickerPackOperation.Where(o => IsPack(o.PackId, o.PackKey)))
        {
            // Signal's types: INSTALL = 0, REMOVE = 1.
            await RememberAsync(operation.PackId, operation.PackKey, operation.Type == 0, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RememberAsync(ByteString packId, ByteString packKey, bool? installed, CancellationToken cancellationToken)
    {
        await db.StickerPacks.RememberAsync(packId.ToByteArray(), packKey.ToByteArray(), installed, cancellationToken).ConfigureAwait(false);
        StickerLog.Remembered(logger, Convert.ToHexStringLower(packId.Span), installed);
    }

    private static bool IsPack(ByteString? packId, ByteString? packKey) =>
        packId?.Length == StickerCipher.PackIdLength && packKey?.Length == StickerCipher.PackKeyLength;

    private async Task<StickerPackRecord> FetchAsync(byte[] packId, byte[] packKey, bool? installed, CancellationToken cancellationToken)
    {
        StickerManifest manifest;
        try
        {
            manifest = StickerManifest.Open(await cdn.ManifestAsync(packId, cancellationToken).ConfigureAwait(false), packKey);
        }
        catch (StickerException e)
        {
            StickerLog.FetchFailed(logger, Convert.ToHexStringLower(packId), e.GetType().Name);
            throw;
        }

        var pack = new StickerPackRecord(packId, packKey, installed ?? false, manifest.Title, manifest.Author, manifest.Cover?.Id,
            [.. manifest.Stickers.Select(s => new StoredSticker(s.Id, s.Emoji, s.ContentType))]);
        await db.StickerPacks.SaveAsync(pack, installed, cancellationToken).ConfigureAwait(false);
        return await db.StickerPacks.GetAsync(packId, cancellationToken).ConfigureAwait(false) ?? pack;
    }

    private static string Reason(StickerException e) => e switch
    {
        StickerDownloadException { HttpStatus: 404 } => "the sticker CDN has no such pack or sticker",
        InvalidStickerPackException invalid => "the pack key does not open it (" + invalid.Reason + ")",
        _ => e.Message,
    };

    private static StickerPackSummary Summary(StickerPackRecord pack)
    {
        var stickers = pack.Stickers.Select(s => new StickerSummary(s.Id, s.Emoji, s.ContentType)).ToList();
        var cover = pack.CoverId is { } coverId ? stickers.FirstOrDefault(s => s.Id == coverId) ?? new StickerSummary(coverId, null, null) : null;
        return new StickerPackSummary(Convert.ToHexStringLower(pack.PackId), Convert.ToHexStringLower(pack.PackKey), pack.Installed,
            pack.HasManifest ? pack.Title : null, pack.HasManifest ? pack.Author : null, cover, stickers);
    }
}
