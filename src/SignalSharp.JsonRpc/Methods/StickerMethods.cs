using System.Text.Json;
using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Dispatch;
using SignalSharp.JsonRpc.Json;
using SignalSharp.JsonRpc.Protocol;

namespace SignalSharp.JsonRpc.Methods;

/// <summary>addStickerPack and listStickerPacks with signal-cli's parameters and shapes.</summary>
internal sealed class StickerMethods(ISignalAccount account)
{
    /// <summary>addStickerPack: installs each <c>uri</c> (one or a list), answers nothing, as signal-cli does.</summary>
    public async Task<MethodResult> AddStickerPackAsync(JsonRpcCall call)
    {
        var links = call.Params.GetStringList("uri");
        if (links.Count == 0)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.InvalidParams, "Missing parameter uri");
        }

        foreach (var link in links)
        {
            await account.Stickers.AddStickerPackAsync(link, call.CancellationToken).ConfigureAwait(false);
        }

        return MethodResult.Empty;
    }

    public async Task<MethodResult> ListStickerPacksAsync(JsonRpcCall call)
    {
        var packs = await account.Stickers.ListStickerPacksAsync(call.CancellationToken).ConfigureAwait(false);
        return new MethodResult(JsonSerializer.SerializeToNode(packs.Select(ToJson).ToList(), ListingJsonContext.Default.ListJsonStickerPack));
    }

    /// <summary>signal-cli's <c>--sticker PACK_ID:STICKER_ID</c>: the pack id in hex, the sticker's id in decimal.</summary>
    public static OutgoingSticker ParseSticker(string value) => OutgoingSticker.TryParse(value, out var sticker)
        ? sticker
        : throw new JsonRpcException(JsonRpcErrorCodes.UserError, $"Invalid sticker syntax ({value}) expected 'stickerPackId:stickerId'");

    private static JsonStickerPack ToJson(StickerPackSummary pack) => new(pack.PackId, pack.Url, pack.Installed, pack.Title ?? "", pack.Author ?? "",
        pack.Cover is { } cover ? ToJson(cover) : null, [.. pack.Stickers.Select(ToJson)]);

    private static JsonPackSticker ToJson(StickerSummary sticker) => new(sticker.Id, sticker.Emoji, sticker.ContentType);
}
