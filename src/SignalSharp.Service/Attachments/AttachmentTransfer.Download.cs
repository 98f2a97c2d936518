using System.Net;
using System.Net.Http;

namespace SignalSharp.Service.Attachments;

/// <summary>The download side of <see cref="AttachmentTransfer"/>.</summary>
public sealed partial class AttachmentTransfer
{
    /// <summary>
    /// Downloads the blob the pointer names (retrying transient failures), checks its digest and MAC, and writes the
    /// plaintext (exactly <see cref="AttachmentPointerData.Size"/> bytes) to <paramref name="output"/>. Nothing reaches
    /// <paramref name="output"/> before the blob is verified.
    /// </summary>
    /// <exception cref="AttachmentIntegrityException">The blob is not the one the pointer describes.</exception>
    /// <exception cref="AttachmentTransferException">The CDN did not deliver it after every retry.</exception>
    public async Task DownloadAsync(AttachmentPointerData pointer, Stream output, CancellationToken cancellationToken = default)
    {
        if (pointer.Size > Options.MaxAttachmentSize)
        {
            throw new InvalidAttachmentPointerException($"{pointer.Size} bytes exceed the {Options.MaxAttachmentSize}-byte attachment limit");
        }

        var blob = new FileStream(
            Path.Combine(Options.TemporaryDirectory ?? Path.GetTempPath(), "signalsharp-att-" + Guid.NewGuid().ToString("N")),
            PrivateFile(FileAccess.ReadWrite, FileOptions.DeleteOnClose | FileOptions.Asynchronous));
        await using (blob.ConfigureAwait(false))
        {
            await FetchBlobAsync(pointer, blob, cancellationToken).ConfigureAwait(false);
            blob.Position = 0;
            await AttachmentCipher.DecryptAsync(blob, pointer.Key, pointer.Digest, pointer.Size, output, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Downloads into a new file created 0600; on any failure the file is removed.</summary>
    public async Task DownloadToFileAsync(AttachmentPointerData pointer, string path, CancellationToken cancellationToken = default)
    {
        var file = new FileStream(path, PrivateFile(FileAccess.Write, FileOptions.Asynchronous));
        var done = false;
        try
        {
            await using (file.ConfigureAwait(false))
            {
                await DownloadAsync(pointer, file, cancellationToken).ConfigureAwait(false);
            }

            done = true;
        }
        finally
        {
            if (!done)
            {
                File.Delete(path);
            }
        }
    }

    private async Task FetchBlobAsync(AttachmentPointerData pointer, FileStream blob, CancellationToken cancellationToken)
    {
        var url = new Uri(WithSlash(Profile.CdnUrl(pointer.CdnNumber)), pointer.CdnPath);
        // A sender pads to at most the bucket size; anything longer is not this attachment (and could fill the disk).
        var limit = AttachmentPadding.CiphertextLength(pointer.Size);
        Exception? lastError = null;
        for (var attempt = 0; attempt < Math.Max(1, Options.Attempts); attempt++)
        {
            if (attempt > 0)
            {
                await cdn.DelayBeforeRetryAsync(attempt - 1, cancellationToken).ConfigureAwait(false);
            }

            blob.SetLength(0);
            blob.Position = 0;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                using var response = await cdn.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    lastError = new AttachmentTransferException(
                        $"CDN {pointer.CdnNumber} {pointer.CdnPath}: HTTP {(int)response.StatusCode}", (int)response.StatusCode);
                    if (!CdnClient.IsRetryable(response.StatusCode) && response.StatusCode != HttpStatusCode.NotFound)
                    {
                        throw lastError;
                    }

                    continue;
                }

                if (response.Content.Headers.ContentLength > limit)
                {
                    throw new AttachmentIntegrityException($"the CDN offers {response.Content.Headers.ContentLength} bytes, at most {limit} expected");
                }

                var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using (body.ConfigureAwait(false))
                {
                    await CopyLimitedAsync(body, blob, limit, cancellationToken).ConfigureAwait(false);
                }

                await blob.FlushAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (ServiceConnectionException e)
            {
                lastError = e;
            }
            catch (IOException e)
            {
                // The connection broke mid-body.
                lastError = e;
            }
        }

        throw lastError as AttachmentTransferException
            ?? new AttachmentTransferException($"CDN {pointer.CdnNumber} {pointer.CdnPath}: failed after {Options.Attempts} tries", null, lastError);
    }

    private static async Task CopyLimitedAsync(Stream source, Stream target, long limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
            if (total > limit)
            {
                throw new AttachmentIntegrityException($"the CDN sent more than the {limit} bytes this attachment can have");
            }

            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A new file only its owner can read (0600): attachments are private messages.</summary>
    private static FileStreamOptions PrivateFile(FileAccess access, FileOptions options)
    {
        var result = new FileStreamOptions { Mode = FileMode.CreateNew, Access = access, Share = FileShare.None, Options = options, BufferSize = 64 * 1024 };
        if (!OperatingSystem.IsWindows())
        {
            result.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return result;
    }

    private static Uri WithSlash(Uri baseUrl) => baseUrl.AbsolutePath.EndsWith('/') ? baseUrl : new Uri(baseUrl + "/");
}
