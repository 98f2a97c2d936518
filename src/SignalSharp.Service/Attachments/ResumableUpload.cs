using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;

namespace SignalSharp.Service.Attachments;

/// <summary>
/// CDN 2, a resumable upload in Google Cloud Storage's XML-API style: POST an empty body with the form's headers
/// (<c>x-goog-resumable: start</c> among them) to the signed location, whose 201 names the session URL; PUT the blob
/// there. To resume, a PUT with <c>Content-Range: bytes */N</c> asks what arrived (308 with <c>Range: bytes=0-K</c>),
/// and the rest follows with <c>Content-Range: bytes K+1-(N-1)/N</c>.
/// </summary>
internal sealed class ResumableUpload(CdnClient cdn)
{
    private static readonly MediaTypeHeaderValue OctetStream = new("application/octet-stream");

    public async Task<byte[]> UploadAsync(
        Uri location, IReadOnlyDictionary<string, string> formHeaders, Stream plaintext, long start, long size, byte[] key, byte[] iv,
        CancellationToken cancellationToken)
    {
        var blobLength = AttachmentPadding.CiphertextLength(size);
        var session = await StartResumableAsync(location, formHeaders, cancellationToken).ConfigureAwait(false);
        var attempts = plaintext.CanSeek ? Math.Max(1, cdn.Options.Attempts) : 1;
        Exception? lastError = null;
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            try
            {
                long offset = 0;
                if (attempt > 0)
                {
                    await cdn.DelayBeforeRetryAsync(attempt - 1, cancellationToken).ConfigureAwait(false);
                    offset = await QueryResumableOffsetAsync(session, blobLength, cancellationToken).ConfigureAwait(false);
                    if (offset == blobLength)
                    {
                        return await AttachmentCipher.DigestOnlyAsync(plaintext, start, size, key, iv, cancellationToken).ConfigureAwait(false);
                    }
                }

                using var content = new EncryptingContent(plaintext, start, size, key, iv, offset);
                content.Headers.ContentType = OctetStream;
                if (offset > 0)
                {
                    content.Headers.ContentRange = new ContentRangeHeaderValue(offset, blobLength - 1, blobLength);
                }

                using var request = new HttpRequestMessage(HttpMethod.Put, session) { Content = content };
                using var response = await cdn.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created && content.Digest is not null)
                {
                    return content.Digest;
                }

                lastError = new AttachmentTransferException($"CDN 2 PUT: HTTP {(int)response.StatusCode}", (int)response.StatusCode);
                if (!CdnClient.IsRetryable(response.StatusCode) && (int)response.StatusCode != 308)
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
            ?? new AttachmentTransferException($"CDN 2 upload failed after {attempts} tries", null, lastError);
    }

    /// <summary>The session URL from the POST that starts a resumable upload.</summary>
    private async Task<Uri> StartResumableAsync(Uri location, IReadOnlyDictionary<string, string> formHeaders, CancellationToken cancellationToken)
    {
        Exception? lastError = null;
        for (var attempt = 0; attempt < Math.Max(1, cdn.Options.Attempts); attempt++)
        {
            if (attempt > 0)
            {
                await cdn.DelayBeforeRetryAsync(attempt - 1, cancellationToken).ConfigureAwait(false);
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, location) { Content = new ByteArrayContent([]) };
            foreach (var (name, value) in formHeaders)
            {
                // The signed URL binds the host; HttpClient sets it from the URL, and a second one would be refused.
                if (!name.Equals("host", StringComparison.OrdinalIgnoreCase))
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }
            }

            if (!request.Headers.Contains("x-goog-resumable"))
            {
                request.Headers.TryAddWithoutValidation("x-goog-resumable", "start");
            }

            request.Content.Headers.ContentType = OctetStream;
            try
            {
                using var response = await cdn.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.Created && response.Headers.Location is { } named
                    && Uri.TryCreate(location, named, out var session) && (session.Scheme == Uri.UriSchemeHttps || session.Scheme == Uri.UriSchemeHttp))
                {
                    return session;
                }

                lastError = new AttachmentTransferException(
                    $"CDN 2 POST {location.GetLeftPart(UriPartial.Path)}: HTTP {(int)response.StatusCode}{(response.StatusCode == HttpStatusCode.Created ? " without a session URL" : "")}",
                    (int)response.StatusCode);
                if (!CdnClient.IsRetryable(response.StatusCode))
                {
                    throw lastError;
                }
            }
            catch (ServiceConnectionException e)
            {
                lastError = e;
            }
        }

        throw lastError as AttachmentTransferException ?? new AttachmentTransferException("CDN 2: no upload session", null, lastError);
    }

    /// <summary>How many bytes the session holds: 200/201 = all, 308 = up to its Range (none without one), else none.</summary>
    private async Task<long> QueryResumableOffsetAsync(Uri session, long blobLength, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, session) { Content = new ByteArrayContent([]) };
        request.Content.Headers.ContentRange = new ContentRangeHeaderValue(blobLength);
        using var response = await cdn.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created)
        {
            return blobLength;
        }

        const string prefix = "bytes=0-";
        return (int)response.StatusCode == 308
               && response.Headers.TryGetValues("Range", out var ranges)
               && ranges.FirstOrDefault() is { } range
               && range.StartsWith(prefix, StringComparison.Ordinal)
               && long.TryParse(range.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var last)
               && last + 1 <= blobLength
            ? last + 1
            : 0;
    }
}
