using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using SignalSharp.Service.Profiles;
using SignalSharp.Service.Transport;

namespace SignalSharp.Service.Http;

/// <summary>
/// Plain HTTPS to the parts of a Signal server that are not behind the chat socket: the storage service (and
/// groups under it) and the CDNs. HTTP/2 is preferred; the TLS trust is the profile's.
/// </summary>
public sealed class ServiceHttpClient : IDisposable
{
    private readonly HttpClient client;

    public ServiceHttpClient(ServerProfile profile, TimeSpan? timeout = null)
    {
        Profile = profile;
        client = new HttpClient(ServiceHttpHandler.Create(profile), disposeHandler: true)
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            Timeout = timeout ?? TimeSpan.FromSeconds(60),
        };
    }

    public ServerProfile Profile { get; }

    /// <summary>A request to the storage service; <paramref name="relativePath"/> is relative to <see cref="ServerProfile.StorageUrl"/>.</summary>
    public HttpRequestMessage StorageRequest(HttpMethod method, string relativePath, string? username = null, string? password = null)
    {
        var request = new HttpRequestMessage(method, Combine(Profile.StorageUrl, relativePath));
        if (username is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{username}:{password}")));
        }

        return request;
    }

    /// <summary>Downloads a CDN object (e.g. <c>attachments/KEY</c> on CDN 0 or 3) and throws unless it is 2xx.</summary>
    public async Task<byte[]> DownloadAsync(int cdnNumber, string relativePath, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Combine(Profile.CdnUrl(cdnNumber), relativePath));
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new ServiceConnectionException($"CDN {cdnNumber} {relativePath}: HTTP {(int)response.StatusCode}");
        }

        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Downloads a CDN object of at most <paramref name="maxBytes"/>: a larger one (by its Content-Length, or once
    /// more than that arrived) throws <see cref="CdnObjectTooLargeException"/> without being read further.
    /// </summary>
    public async Task<byte[]> DownloadAsync(int cdnNumber, string relativePath, int maxBytes, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Combine(Profile.CdnUrl(cdnNumber), relativePath));
        using var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new ServiceConnectionException($"CDN {cdnNumber} {relativePath}: HTTP {(int)response.StatusCode}");
        }

        var what = $"CDN {cdnNumber} {relativePath}";
        if (response.Content.Headers.ContentLength > maxBytes)
        {
            throw new CdnObjectTooLargeException(what, maxBytes);
        }

        try
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using var bodyScope = body.ConfigureAwait(false);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw new CdnObjectTooLargeException(what, maxBytes);
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new ServiceConnectionException($"{what}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Uploads <paramref name="body"/> to an upload form's location in one TUS creation-with-upload request (CDN 3).
    /// Resuming is not offered: the mock answers HEAD and PATCH on the upload URL with 404.
    /// </summary>
    public async Task UploadTusAsync(Uri location, IReadOnlyDictionary<string, string> formHeaders, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, location) { Content = new ReadOnlyMemoryContent(body) };
        foreach (var (name, value) in formHeaders)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        request.Headers.TryAddWithoutValidation("Tus-Resumable", "1.0.0");
        request.Headers.TryAddWithoutValidation("Upload-Length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new ServiceConnectionException($"TUS upload to {location.GetLeftPart(UriPartial.Path)}: HTTP {(int)response.StatusCode}");
        }
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken = default) =>
        SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        // HttpClient.DefaultRequestVersion only reaches requests HttpClient builds itself; a caller's message starts at 1.1.
        request.Version = HttpVersion.Version20;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
        try
        {
            return await client.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new ServiceConnectionException($"{request.Method} {request.RequestUri}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ServiceConnectionException($"{request.Method} {request.RequestUri}: no answer within {client.Timeout.TotalSeconds:0} s", e);
        }
    }

    public void Dispose() => client.Dispose();

    private static Uri Combine(Uri baseUrl, string relativePath) =>
        new(baseUrl.AbsolutePath.EndsWith('/') ? baseUrl : new Uri(baseUrl + "/"), relativePath.TrimStart('/'));
}
