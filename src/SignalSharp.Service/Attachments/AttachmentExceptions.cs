namespace SignalSharp.Service.Attachments;

/// <summary>Base of every attachment failure: bad keys, a corrupt download, an upload the CDN refused.</summary>
public abstract class AttachmentException(string message, Exception? innerException = null)
    : ServiceException(message, innerException);

/// <summary>The downloaded blob does not match the pointer: wrong digest, wrong MAC, bad length or bad padding.</summary>
public sealed class AttachmentIntegrityException(string reason)
    : AttachmentException($"attachment rejected: {reason}")
{
    public string Reason { get; } = reason;
}

/// <summary>The pointer itself is unusable (key not 64 bytes, no CDN key, digest missing).</summary>
public sealed class InvalidAttachmentPointerException(string reason)
    : AttachmentException($"invalid attachment pointer: {reason}");

/// <summary>Upload or download failed after every retry.</summary>
public sealed class AttachmentTransferException(string message, int? httpStatus = null, Exception? innerException = null)
    : AttachmentException(message, innerException)
{
    public int? HttpStatus { get; } = httpStatus;
}
