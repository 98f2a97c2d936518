using System.Collections.Concurrent;
using System.Globalization;
using System.Net;

namespace SignalSharp.Service.Tests.Attachments;

/// <summary>
/// A loopback CDN that behaves as Signal's production CDNs do (plain HTTP): TUS at <c>/upload/attachments</c> with
/// each upload at <c>/upload/attachments/{key}</c> (HEAD, PATCH, and 409 for a second creation of a key that holds
/// data), and a Google-Cloud-Storage-style resumable upload (POST <c>/gcs/{key}</c> with <c>x-goog-resumable:
/// start</c> → 201 + session URL; PUT, and PUT <c>bytes */N</c> → 308 with <c>Range</c>). The first upload request
/// that carries data is cut after <see cref="CutAfter"/> bytes (answered 503, connection closed), as a backend break does.
/// </summary>
internal sealed class ProductionCdn : IDisposable
{
    private readonly ScriptedHttpServer server;
    private int cuts;

    public ProductionCdn(int cutAfter, bool headKnowsOffsets = true)
    {
        CutAfter = cutAfter;
        HeadKnowsOffsets = headKnowsOffsets;
        server = new ScriptedHttpServer((context, _) =>
        {
            var request = context.Request;
            var range = request.Headers["Content-Range"];
            Requests.Enqueue($"{request.HttpMethod} {request.Url!.AbsolutePath}{(range is null ? "" : " " + range)}");
            return HandleAsync(context);
        });
    }

    public Uri BaseUrl => server.BaseUrl;

    public int CutAfter { get; }

    public bool HeadKnowsOffsets { get; }

    /// <summary>Stored bytes by upload key.</summary>
    public ConcurrentDictionary<string, MemoryStream> Stored { get; } = new();

    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>The request headers of every POST that started a CDN 2 session.</summary>
    public ConcurrentQueue<System.Collections.Specialized.NameValueCollection> GcsStarts { get; } = new();

    public Uri TusCreation => new(BaseUrl, "upload/attachments");

    public Uri GcsStart(string key) => new(BaseUrl, "gcs/" + key);

    public void Dispose() => server.Dispose();

    /// <returns>false when the request was already answered.</returns>
    private async Task<bool> HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Url!.AbsolutePath;
        if (path.StartsWith("/upload/attachments", StringComparison.Ordinal))
        {
            response.Headers["Tus-Resumable"] = "1.0.0";
            var key = path.Length > "/upload/attachments/".Length ? path["/upload/attachments/".Length..] : null;
            switch (request.HttpMethod)
            {
                case "POST" when key is null:
                    var created = KeyFromMetadata(request);
                    if (Stored.TryGetValue(created, out var existing) && existing.Length > 0)
                    {
                        response.StatusCode = 409;
                        return true;
                    }

                    var blob = Stored[created] = new MemoryStream();
                    if (!await ReceiveAsync(request, blob, context))
                    {
                        return false;
                    }

                    response.StatusCode = 201;
                    response.Headers["Location"] = new Uri(BaseUrl, "upload/attachments/" + created).ToString();
                    response.Headers["Upload-Offset"] = blob.Length.ToString(CultureInfo.InvariantCulture);
                    return true;
                case "HEAD" when key is not null && HeadKnowsOffsets && Stored.TryGetValue(key, out var held):
                    response.Headers["Upload-Offset"] = held.Length.ToString(CultureInfo.InvariantCulture);
                    response.StatusCode = 200;
                    return true;
                case "PATCH" when key is not null && Stored.TryGetValue(key, out var partial)
                                  && request.Headers["Upload-Offset"] == partial.Length.ToString(CultureInfo.InvariantCulture):
                    if (!await ReceiveAsync(request, partial, context))
                    {
                        return false;
                    }

                    response.StatusCode = 204;
                    return true;
                default:
                    response.StatusCode = key is null ? 404 : 409;
                    return true;
            }
        }

        if (path.StartsWith("/gcs/", StringComparison.Ordinal) && request.HttpMethod == "POST")
        {
            GcsStarts.Enqueue(request.Headers);
            if (request.Headers["x-goog-resumable"] != "start")
            {
                response.StatusCode = 400;
                return true;
            }

            var key = path["/gcs/".Length..];
            Stored[key] = new MemoryStream();
            response.StatusCode = 201;
            response.Headers["Location"] = new Uri(BaseUrl, "gcs-session/" + key).ToString();
            return true;
        }

        if (path.StartsWith("/gcs-session/", StringComparison.Ordinal) && request.HttpMethod == "PUT"
            && Stored.TryGetValue(path["/gcs-session/".Length..], out var session))
        {
            var contentRange = request.Headers["Content-Range"];
            if (contentRange is not null && contentRange.StartsWith("bytes */", StringComparison.Ordinal))
            {
                var total = long.Parse(contentRange["bytes */".Length..], CultureInfo.InvariantCulture);
                if (session.Length == total)
                {
                    response.StatusCode = 200;
                    return true;
                }

                response.StatusCode = 308;
                if (session.Length > 0)
                {
                    response.Headers["Range"] = $"bytes=0-{session.Length - 1}";
                }

                return true;
            }

            var from = contentRange is null ? 0 : long.Parse(contentRange["bytes ".Length..contentRange.IndexOf('-', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
            if (from != session.Length)
            {
                response.StatusCode = 400;
                return true;
            }

            if (!await ReceiveAsync(request, session, context))
            {
                return false;
            }

            response.StatusCode = 200;
            return true;
        }

        response.StatusCode = 404;
        return true;
    }

    /// <summary>Signal's TUS forms name the key in Upload-Metadata as <c>filename base64(key)</c>.</summary>
    private static string KeyFromMetadata(HttpListenerRequest request)
    {
        var metadata = request.Headers["Upload-Metadata"] ?? throw new InvalidOperationException("no Upload-Metadata");
        return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(metadata.Split(' ', 2)[1]));
    }

    /// <returns>false when this body was the one to cut (then it is already answered).</returns>
    private async Task<bool> ReceiveAsync(HttpListenerRequest request, MemoryStream target, HttpListenerContext context)
    {
        var cut = Interlocked.Increment(ref cuts) == 1;
        var limit = cut ? CutAfter : long.MaxValue;
        var buffer = new byte[8192];
        long total = 0;
        int read;
        while (total < limit && (read = await request.InputStream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, limit - total)))) > 0)
        {
            target.Write(buffer, 0, read);
            total += read;
        }

        if (cut)
        {
            // The backend broke mid-body: what arrived is kept, the answer is a 503 and the connection closes.
            context.Response.StatusCode = 503;
            context.Response.KeepAlive = false;
            context.Response.Close();
            return false;
        }

        return true;
    }
}
