namespace SignalSharp.Account.Api;

/// <summary>
/// The account's sticker packs (signal-cli's addStickerPack and listStickerPacks). A sticker is sent with
/// <see cref="OutgoingMessage.Sticker"/>, from a pack the account knows.
/// Reached through <see cref="ISignalAccount.Stickers"/>.
/// </summary>
public interface IAccountStickers
{
    /// <summary>
    /// Installs the pack a link names (<c>https://signal.art/addstickers/#pack_id=…&amp;pack_key=…</c>, or Signal's
    /// <c>sgnl://addstickers/?pack_id=…&amp;pack_key=…</c>): its manifest is fetched from the sticker CDN, decrypted
    /// with the pack key and stored. Returns the pack as stored.
    /// </summary>
    /// <exception cref="InvalidStickerPackLinkException">The text is not a sticker pack link.</exception>
    /// <exception cref="StickerPackUnavailableException">The CDN has no such pack, or the key does not open it.</exception>
    Task<StickerPackSummary> AddStickerPackAsync(string link, CancellationToken cancellationToken);

    /// <summary>Every pack the account knows: installed ones, and those seen in received stickers (not installed, maybe without a title yet).</summary>
    Task<IReadOnlyList<StickerPackSummary>> ListStickerPacksAsync(CancellationToken cancellationToken);
}

/// <summary>A sticker to send: the pack's id (32 hex digits) and the sticker's id in it.</summary>
public sealed record OutgoingSticker(string PackId, int StickerId)
{
    /// <summary>
    /// signal-cli's form <c>PACK_ID:STICKER_ID</c>: the pack id in hex (an even number of digits), the sticker id a
    /// non-negative decimal. Whether the pack is known is the account's question, at send time.
    /// </summary>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out OutgoingSticker? sticker)
    {
        sticker = null;
        if (text is null)
        {
            return false;
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon % 2 != 0 || !text[..colon].All(Uri.IsHexDigit)
            || !int.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            return false;
        }

        sticker = new OutgoingSticker(text[..colon].ToLowerInvariant(), id);
        return true;
    }
}

/// <summary>One sticker of a pack.</summary>
public sealed record StickerSummary(int Id, string? Emoji, string? ContentType);

/// <summary>
/// A known pack: id and key in hex, whether it is installed, and what its manifest says (null title and author, no
/// stickers, while the manifest was never fetched).
/// </summary>
public sealed record StickerPackSummary(string PackId, string PackKey, bool Installed, string? Title, string? Author, StickerSummary? Cover,
    IReadOnlyList<StickerSummary> Stickers)
{
    /// <summary>The pack's link, as signal.art writes it (the key is in the fragment, which browsers never send).</summary>
    public string Url => $"https://signal.art/addstickers/#pack_id={PackId}&pack_key={PackKey}";
}

/// <summary>The text is not a sticker pack link (signal-cli: "Invalid sticker pack link").</summary>
public sealed class InvalidStickerPackLinkException(string reason) : AccountException("Invalid sticker pack link: " + reason);

/// <summary>A pack could not be fetched or opened (signal-cli: "Install sticker pack failed").</summary>
public sealed class StickerPackUnavailableException(string reason, Exception? inner = null)
    : AccountException("Install sticker pack failed: " + reason, inner);

/// <summary>
/// The sticker to send is not in a pack the account knows, or not in its pack, or its image cannot be fetched
/// (signal-cli: "Failed to send sticker: …").
/// </summary>
public sealed class InvalidStickerException(string reason, Exception? inner = null)
    : AccountException("Failed to send sticker: " + reason, inner);
