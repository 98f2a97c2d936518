using System.Collections.Concurrent;
using SignalSharp.Account.Api;

namespace SignalSharp.Daemon.Tests.Support;

/// <summary>The fake account's sticker packs: a link of a well-formed shape installs a two-sticker pack, any other is refused.</summary>
public sealed class FakeStickers : IAccountStickers
{
    private readonly ConcurrentDictionary<string, StickerPackSummary> packs = new(StringComparer.Ordinal);

    /// <summary>The links asked for, in order.</summary>
    public ConcurrentQueue<string> Links { get; } = new();

    public Task<StickerPackSummary> AddStickerPackAsync(string link, CancellationToken cancellationToken)
    {
        Links.Enqueue(link);
        const string Prefix = "https://signal.art/addstickers/#pack_id=";
        var parts = link.StartsWith(Prefix, StringComparison.Ordinal) ? link[Prefix.Length..].Split("&pack_key=") : [];
        if (parts.Length != 2 || parts[0].Length != 32 || parts[1].Length != 64)
        {
            throw new InvalidStickerPackLinkException("expected https://signal.art/addstickers/#pack_id=…&pack_key=…");
        }

        var pack = new StickerPackSummary(parts[0], parts[1], true, "Cats", "Alice", new StickerSummary(0, "😺", "image/webp"),
            [new StickerSummary(0, "😺", "image/webp"), new StickerSummary(1, "🐈", null)]);
        packs[pack.PackId] = pack;
        return Task.FromResult(pack);
    }

    public Task<IReadOnlyList<StickerPackSummary>> ListStickerPacksAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StickerPackSummary>>([.. packs.Values.OrderBy(p => p.PackId, StringComparer.Ordinal)]);
}
