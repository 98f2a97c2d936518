using System.Globalization;
using System.Net;
using System.Net.Http;

namespace SignalSharp.Service.Attachments;

/// <summary>The TUS side of <see cref="AttachmentTransfer"/>: creation-with-upload, then HEAD + PATCH to resume.</summary>
public sealed partial class AttachmentTransfer
{
    internal async Task<byte[]> UploadTusAsync(
        Uri location, IReadOnlyDictionary<string, string> formHeaders, Stream plaintext, long start, long size, byte[] key, byte[] iv, CancellationToken cancellationToken)
    {
        var blobLength = AttachmentPadding.CiphertextLength(size);
        var attempts = plaintext.CanSeek ? Math.Max(1, Options.Attempts) : 1;
        Exception? lastError = null;
        var created = false;
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            if (attempt > 0)
            {
                await DelayBeforeRetryAsync(attempt - 1, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                // After a failed creation the server may already hold part of the blob: ask how much (TUS HEAD).
                // A server that cannot say (the mock answers 404) gets the whole blob again.
                var offset = created ? await QueryOffsetAsync(location, formHeaders, cancellationToken).ConfigureAwait(false) : null;
                if (offset == blobLength)
                {
                    return await DigestOnlyAsync(plaintext, start, size, key, iv, cancellationToken).ConfigureAwait(false);
                }

                using var content = new EncryptingContent(plaintext, start, size, key, iv, offset ?? 0);
                using var request = offset is null
                    ? new HttpRequestMessage(HttpMethod.Post, location) { Content = content }
                    : new HttpRequestMessage(HttpMethod.Patch, location) { Content = content };
                AddTusHeaders(request, formHeaders);
                if (offset is null)
                {
                    request.Headers.TryAddWithoutValidation("Upload-Length", Invariant(blobLength));
                }
                else
                {
                    request.Headers.TryAddWithoutValidation("Upload-Offset", Invariant(offset.Value));
                }

                content.Headers.ContentType = OffsetOctetStream;
                created = true;
                using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
                var expected = offset is null ? HttpStatusCode.Created : HttpStatusCode.NoContent;
                if (response.StatusCode == expected && content.Digest is not null)
                {
                    return content.Digest;
                }

                lastError = new AttachmentTransferException(
                    $"TUS {request.Method} {location.GetLeftPart(UriPartial.Path)}: HTTP {(int)response.StatusCode}", (int)response.StatusCode);
                if (!IsRetryable(response.StatusCode) && offset is null)
                {
                    throw lastError;
                }
            }
            catch (ServiceConnectionException e)
            {
                lastError = e;
            }
        }

        throw lastError as AttachmentTransferException
            ?? new AttachmentTransferException($"upload to {location.GetLeftPart(UriPartial.Path)} failed after {attempts} tries", null, lastError);
    }

    /// <summary>The server's Upload-Offset for this upload, or null when it cannot tell (then the upload restarts).</summary>
    private async Task<long?> QueryOffsetAsync(Uri location, IReadOnlyDictionary<string, string> formHeaders, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, location);
        AddTusHeaders(request, formHeaders);
        try
        {
            using var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode
                && response.Headers.TryGetValues("Upload-Offset", out var values)
                && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                return offset;
            }
        }
        catch (ServiceConnectionException)
        {
            // Unknown progress: fall back to a fresh creation-with-upload.
        }

        return null;
    }

    /// <summary>The server already has everything; the pointer still needs the digest, so encrypt into nowhere.</summary>
    private static Task<byte[]> DigestOnlyAsync(Stream plaintext, long start, long size, byte[] key, byte[] iv, CancellationToken cancellationToken)
    {
        plaintext.Position = start;
        return AttachmentCipher.EncryptAsync(plaintext, size, key, iv, Stream.Null, cancellationToken);
    }
}
