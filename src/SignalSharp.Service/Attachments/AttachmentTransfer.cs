using SignalSharp.Service.Profiles;
using SignalSharp.Service.Transport;

namespace SignalSharp.Service.Attachments;

/// <summary>Retry and size limits for <see cref="AttachmentTransfer"/>.</summary>
public sealed record AttachmentTransferOptions
{
    /// <summary>Signal's limit for one attachment.</summary>
    public long MaxAttachmentSize { get; init; } = 100L * 1024 * 1024;

    /// <summary>Tries per upload or download (the first included).</summary>
    public int Attempts { get; init; } = 3;

    public Backoff RetryBackoff { get; init; } = new(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));

    /// <summary>Where a download's ciphertext waits (deleted on close) until its digest and MAC are checked.</summary>
    public string? TemporaryDirectory { get; init; }

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// Sends and fetches attachments: encrypt while uploading to the CDN an upload form names (CDN 3 over TUS, CDN 2 as
/// a resumable upload in Google Cloud Storage's style), and download from the CDN a pointer names, verify, decrypt.
/// Memory stays at a few 64 KiB buffers whatever the file size: uploads encrypt into the request body, downloads go
/// through a temporary file.
/// </summary>
public sealed partial class AttachmentTransfer : IDisposable
{
    private readonly CdnClient cdn;
    private readonly TusUpload tus;
    private readonly ResumableUpload resumable;
    private readonly IUploadFormSource? forms;
    private readonly TimeProvider time;

    /// <param name="forms">Where upload forms come from (uploads need one; downloads do not).</param>
    public AttachmentTransfer(ServerProfile profile, IUploadFormSource? forms = null, AttachmentTransferOptions? options = null, TimeProvider? time = null)
    {
        Profile = profile;
        Options = options ?? new AttachmentTransferOptions();
        this.forms = forms;
        this.time = time ?? TimeProvider.System;
        cdn = new CdnClient(profile, Options, this.time);
        tus = new TusUpload(cdn);
        resumable = new ResumableUpload(cdn);
    }

    public ServerProfile Profile { get; }

    public AttachmentTransferOptions Options { get; }

    /// <summary>
    /// Encrypts and uploads <paramref name="size"/> bytes read from <paramref name="plaintext"/> (from its current
    /// position) and returns the pointer to send. Without <paramref name="contentType"/> the type is sniffed (seekable
    /// streams) or taken from <paramref name="fileName"/>. A seekable stream can be re-read, so a broken upload is
    /// resumed (TUS HEAD + PATCH) or restarted; a non-seekable one gets a single try.
    /// </summary>
    public async Task<AttachmentPointerData> UploadAsync(
        Stream plaintext, long size, string? fileName = null, string? contentType = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (size > Options.MaxAttachmentSize)
        {
            throw new AttachmentTransferException($"{size} bytes exceed the {Options.MaxAttachmentSize}-byte attachment limit");
        }

        contentType ??= plaintext.CanSeek ? ContentTypes.Detect(plaintext, fileName) : ContentTypes.Detect([], fileName);
        var start = plaintext.CanSeek ? plaintext.Position : 0;
        var key = AttachmentCipher.NewKey();
        var iv = AttachmentCipher.NewIv();
        var blobLength = AttachmentPadding.CiphertextLength(size);

        // A TUS upload whose key the CDN refuses again (409: part of it arrived before a break) needs a new form.
        for (var round = 0; ; round++)
        {
            var form = await GetUploadFormAsync(blobLength, cancellationToken).ConfigureAwait(false);
            var location = new Uri(form.SignedUploadLocation);
            byte[] digest;
            try
            {
                digest = form.Cdn switch
                {
                    3 => await tus.UploadAsync(location, form.Key, form.Headers, plaintext, start, size, key, iv, cancellationToken).ConfigureAwait(false),
                    2 => await resumable.UploadAsync(location, form.Headers, plaintext, start, size, key, iv, cancellationToken).ConfigureAwait(false),
                    _ => throw new AttachmentTransferException($"the upload form names CDN {form.Cdn}; only CDN 2 (resumable) and 3 (TUS) are supported"),
                };
            }
            catch (AttachmentTransferException e) when (e.HttpStatus == 409 && round == 0 && plaintext.CanSeek)
            {
                continue;
            }

            return new AttachmentPointerData
            {
                CdnNumber = form.Cdn,
                CdnKey = form.Key,
                Key = key,
                Digest = digest,
                Size = size,
                ContentType = contentType,
                FileName = fileName,
                UploadTimestamp = (ulong)time.GetUtcNow().ToUnixTimeMilliseconds(),
            };
        }
    }

    /// <summary>Uploads a file from disk (name and type from the file unless given).</summary>
    public async Task<AttachmentPointerData> UploadFileAsync(string path, string? fileName = null, string? contentType = null, CancellationToken cancellationToken = default)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        await using (file.ConfigureAwait(false))
        {
            return await UploadAsync(file, file.Length, fileName ?? Path.GetFileName(path), contentType, cancellationToken).ConfigureAwait(false);
        }
    }

    internal Task<AttachmentUploadForm> GetUploadFormAsync(long blobLength, CancellationToken cancellationToken) =>
        (forms ?? throw new InvalidOperationException("this transfer was made without an upload form source; it can only download"))
            .GetAsync(blobLength, cancellationToken);

    public void Dispose() => cdn.Dispose();

    internal Task<byte[]> UploadTusAsync(Uri location, string uploadKey, IReadOnlyDictionary<string, string> formHeaders, Stream plaintext, long start, long size,
        byte[] key, byte[] iv, CancellationToken cancellationToken) =>
        tus.UploadAsync(location, uploadKey, formHeaders, plaintext, start, size, key, iv, cancellationToken);
}
