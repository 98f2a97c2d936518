namespace SignalSharp.Service.Stickers;

/// <summary>Base of every sticker pack failure.</summary>
public abstract class StickerException(string message, Exception? innerException = null)
    : ServiceException(message, innerException);

/// <summary>A pack's file does not decrypt with its key, or its manifest is not one.</summary>
public sealed class InvalidStickerPackException(string reason, Exception? innerException = null)
    : StickerException($"sticker pack rejected: {reason}", innerException)
{
    public string Reason { get; } = reason;
}

/// <summary>The sticker CDN has no such pack or sticker (404), or did not deliver it after every retry.</summary>
public sealed class StickerDownloadException(string message, int? httpStatus = null, Exception? innerException = null)
    : StickerException(message, innerException)
{
    public int? HttpStatus { get; } = httpStatus;
}
