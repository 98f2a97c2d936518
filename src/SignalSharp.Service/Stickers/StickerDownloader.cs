using System.Globalization;
using System.Net.Http;
using SignalSharp.Service.Attachments;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Service.Stickers;

/// <summary>
/// Fetches a sticker pack's sealed files from CDN 0 (<c>stickers/{packIdHex}/manifest.proto</c> and
/// <c>stickers/{packIdHex}/full/{stickerId}</c>), retrying transient failures. The files are public but sealed with
/// the pack key, so no credentials go along; they are small, so they are read into memory, up to a limit.
/// </summary>
public sealed class StickerDownloader : IDisposable
{
    /// <summary>More than any pack's manifest or sticker image (Signal caps a sticker at a few hundred KiB).</summary>
    public const int MaxFileBytes = 4 * 1024 * 1024;

    private readonly CdnClient cdn;
    private readonly Uri baseUrl;

    public StickerDownloader(ServerProfile profile, AttachmentTransferOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        cdn = new CdnClient(profile, options ?? new AttachmentTransferOptions(), time ?? TimeProvider.System);
        var cdn0 = profile.CdnUrl(0);
        baseUrl = cdn0.AbsolutePath.EndsWith('/') ? cdn0 : new Uri(cdn0 + "/");
    }

    /// <summary>The pack's sealed manifest.</summary>
    public Task<byte[]> ManifestAsync(ReadOnlyMemory<byte> packId, CancellationToken cancellationToken = default) =>
        FetchAsync($"stickers/{Hex(packId)}/manifest.proto", cancellationToken);

    /// <summary>One sticker's sealed image.</summary>
    public Task<byte[]> StickerAsync(ReadOnlyMemory<byte> packId, int stickerId, CancellationToken cancellationToken = default) =>
        FetchAsync($"stickers/{Hex(packId)}/full/{stickerId.ToString(CultureInfo.InvariantCulture)}", cancellationToken);

    public void Dispose() => cdn.Dispose();

    private static string Hex(ReadOnlyMemory<byte> packId) => packId.Length == StickerCipher.PackIdLength
        ? Convert.ToHexStringLower(packId.Span)
        : throw new InvalidStickerPackException($"a pack id has {StickerCipher.PackIdLength} bytes, not {packId.Length}");

    private async Task<byte[]> FetchAsync(string path, CancellationToken cancellationToken)
    {
        var url = new Uri(baseUrl, path);
        Exception? lastError = null;
        for (var attempt = 0; attempt < Math.Max(1, cdn.Options.Attempts); attempt++)
        {
            if (attempt > 0)
            {
                await cdn.DelayBeforeRetryAsync(attempt - 1, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                using var response = await cdn.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    var status = (int)response.StatusCode;
                    lastError = new StickerDownloadException($"sticker CDN {path}: HTTP {status}", status);
                    if (!CdnClient.IsRetryable(response.StatusCode))
                    {
                        throw lastError;
                    }

                    continue;
                }

                if (response.Content.Headers.ContentLength > MaxFileBytes)
                {
                    throw new StickerDownloadException($"sticker CDN {path}: {response.Content.Headers.ContentLength} bytes is more than a sticker file can have");
                }

                return await ReadLimitedAsync(response, path, cancellationToken).ConfigureAwait(false);
            }
            catch (ServiceConnectionException e)
            {
                lastError = e;
            }
            catch (IOException e)
            {
                lastError = e;
            }
        }

        throw lastError as StickerDownloadException
            ?? new StickerDownloadException($"sticker CDN {path}: failed after {cdn.Options.Attempts} tries", null, lastError);
    }

    private static async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, string path, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            using var copy = new MemoryStream();
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (copy.Length + read > MaxFileBytes)
                {
                    throw new StickerDownloadException($"sticker CDN {path}: more than the {MaxFileBytes} bytes a sticker file can have");
                }

                copy.Write(buffer, 0, read);
            }

            return copy.ToArray();
        }
    }
}
