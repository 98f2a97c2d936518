using Microsoft.Extensions.Logging;

namespace SignalSharp.Account.Stickers;

/// <summary>Log messages of sticker packs (event ids 1480–1489): pack ids are public, keys are never logged.</summary>
internal static partial class StickerLog
{
    [LoggerMessage(1480, LogLevel.Information, "Sticker pack {PackId} installed ({Count} stickers)")]
    public static partial void Installed(ILogger logger, string packId, int count);

    [LoggerMessage(1481, LogLevel.Warning, "Sticker pack {PackId} could not be fetched or opened ({ErrorType})")]
    public static partial void FetchFailed(ILogger logger, string packId, string errorType);

    [LoggerMessage(1482, LogLevel.Debug, "Sticker pack {PackId} remembered (installed: {Installed})")]
    public static partial void Remembered(ILogger logger, string packId, bool? installed);
}
