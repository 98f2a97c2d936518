using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using SignalSharp.Service.Profiles;
using SignalSharp.Service.Transport;

namespace SignalSharp.Service.Attachments;

/// <summary>
/// The HTTP side every CDN transfer shares: one client (HTTP/2 where the CDN speaks it), transport failures as
/// <see cref="ServiceConnectionException"/>, which statuses are worth a retry and the wait before it. It knows no
/// upload protocol.
/// </summary>
internal sealed class CdnClient(ServerProfile profile, AttachmentTransferOptions options, TimeProvider time) : IDisposable
{
    private readonly HttpClient http = new(ServiceHttpHandler.Create(profile), disposeHandler: true) { Timeout = options.RequestTimeout };

    public AttachmentTransferOptions Options => options;

    public void Dispose() => http.Dispose();

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        request.Version = HttpVersion.Version20;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
        try
        {
            return await http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new ServiceConnectionException($"{request.Method} {request.RequestUri?.GetLeftPart(UriPartial.Path)}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ServiceConnectionException($"{request.Method} {request.RequestUri?.GetLeftPart(UriPartial.Path)}: timed out", e);
        }
    }

    public Task DelayBeforeRetryAsync(int attempt, CancellationToken cancellationToken) =>
        Task.Delay(Options.RetryBackoff.Delay(attempt), time, cancellationToken);

    public static bool IsRetryable(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    public static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static void AddTusHeaders(HttpRequestMessage request, IReadOnlyDictionary<string, string> formHeaders)
    {
        foreach (var (name, value) in formHeaders)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        request.Headers.TryAddWithoutValidation("Tus-Resumable", "1.0.0");
    }

    public static MediaTypeHeaderValue OffsetOctetStream => new("application/offset+octet-stream");
}
