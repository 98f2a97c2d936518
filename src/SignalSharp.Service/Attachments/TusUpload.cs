using System.Globalization;
using System.Net;
using System.Net.Http;

namespace SignalSharp.Service.Attachments;

/// <summary>
/// An upload to CDN 3 over TUS: creation-with-upload at the form's location, then HEAD +
/// PATCH at the upload's own URL to resume. That URL is the 201's <c>Location</c>, or, when the creation broke before
/// any answer, the form's location plus <c>/</c> plus its key (Signal's TUS server creates at
/// <c>…/upload/attachments</c> and keeps the upload at <c>…/upload/attachments/{key}</c>). A second creation after part
/// of the blob arrived answers 409: that form is spent, and the caller asks for a new one.
/// </summary>
internal sealed class TusUpload(CdnClient cdn)
{
    public async Task<byte[]> UploadAsync(
        Uri location, string uploadKey, IReadOnlyDictionary<string, string> formHeaders, Stream plaintext, long start, long size, byte[] key, byte[] iv,
        CancellationToken cancellationToken)
    {
        var blobLength = AttachmentPadding.CiphertextLength(size);
        var attempts = plaintext.CanSeek ? Math.Max(1, cdn.Options.Attempts) : 1;
        var uploadUrl = new Uri(location.AbsoluteUri.TrimEnd('/') + "/" + Uri.EscapeDataString(uploadKey));
        Exception? lastError = null;
        var created = false;
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            if (attempt > 0)
            {
                await cdn.DelayBeforeRetryAsync(attempt - 1, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                // After a broken creation the server may hold part of the blob: ask how much (TUS HEAD). A server
                // that cannot say (the mock answers 404) gets a new creation with the whole blob.
                var offset = created ? await QueryOffsetAsync(uploadUrl, formHeaders, cancellationToken).ConfigureAwait(false) : null;
                if (offset == blobLength)
                {
                    return await AttachmentCipher.DigestOnlyAsync(plaintext, start, size, key, iv, cancellationToken).ConfigureAwait(false);
                }

                using var content = new EncryptingContent(plaintext, start, size, key, iv, offset ?? 0);
                using var request = offset is null
                    ? new HttpRequestMessage(HttpMethod.Post, location) { Content = content }
                    : new HttpRequestMessage(HttpMethod.Patch, uploadUrl) { Content = content };
                CdnClient.AddTusHeaders(request, formHeaders);
                if (offset is null)
                {
                    request.Headers.TryAddWithoutValidation("Upload-Length", CdnClient.Invariant(blobLength));
                }
                else
                {
                    request.Headers.TryAddWithoutValidation("Upload-Offset", CdnClient.Invariant(offset.Value));
                }

                content.Headers.ContentType = CdnClient.OffsetOctetStream;
                created = true;
                using var response = await cdn.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
                if (offset is null && response.StatusCode == HttpStatusCode.Created)
                {
                    uploadUrl = OwnUrl(response, location) ?? uploadUrl;
                    if (UploadOffset(response) is { } stored && stored < blobLength)
                    {
                        // The server stopped reading early: the rest goes by PATCH to the upload's own URL.
                        lastError = new AttachmentTransferException($"TUS creation kept {stored} of {blobLength} bytes", 201);
                        continue;
                    }
                }

                var expected = offset is null ? HttpStatusCode.Created : HttpStatusCode.NoContent;
                if (response.StatusCode == expected && content.Digest is not null)
                {
                    return content.Digest;
                }

                lastError = new AttachmentTransferException(
                    $"TUS {request.Method} {request.RequestUri?.GetLeftPart(UriPartial.Path)}: HTTP {(int)response.StatusCode}", (int)response.StatusCode);
                if (offset is null && !CdnClient.IsRetryable(response.StatusCode))
                {
                    throw lastError; // 409 among them: the key is taken, the form spent.
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
    private async Task<long?> QueryOffsetAsync(Uri uploadUrl, IReadOnlyDictionary<string, string> formHeaders, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, uploadUrl);
        CdnClient.AddTusHeaders(request, formHeaders);
        try
        {
            using var response = await cdn.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? UploadOffset(response) : null;
        }
        catch (ServiceConnectionException)
        {
            return null; // Unknown progress: a fresh creation-with-upload.
        }
    }

    private static long? UploadOffset(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Upload-Offset", out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? offset
            : null;

    /// <summary>The 201's Location (relative ones against the creation URL); null when absent or not http(s).</summary>
    private static Uri? OwnUrl(HttpResponseMessage response, Uri location) =>
        response.Headers.Location is { } named
        && Uri.TryCreate(location, named, out var url)
        && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
        && url.Host != "undefined" // The mock's Location names no host.
            ? url
            : null;
}
