namespace SignalSharp.Service.Attachments;

/// <summary>
/// Where one attachment may be uploaded: the CDN (2 = resumable upload in Google Cloud Storage's style, 3 = TUS),
/// the key the finished blob is found under, headers every upload request carries, and the URL to start at.
/// </summary>
public sealed record AttachmentUploadForm(int Cdn, string Key, IReadOnlyDictionary<string, string> Headers, string SignedUploadLocation);

/// <summary>Hands out upload forms (a fresh one per call: a form whose key the CDN refuses again is spent).</summary>
public interface IUploadFormSource
{
    /// <summary>A form for a blob of <paramref name="uploadLength"/> bytes.</summary>
    /// <exception cref="AttachmentTransferException">The server refuses blobs of that length.</exception>
    Task<AttachmentUploadForm> GetAsync(long uploadLength, CancellationToken cancellationToken);
}
