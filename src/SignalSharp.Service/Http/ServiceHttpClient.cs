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

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        // HttpClient.DefaultRequestVersion only reaches requests HttpClient builds itself; a caller's message starts at 1.1.
        request.Version = HttpVersion.Version20;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
        try
        {
            return await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
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
