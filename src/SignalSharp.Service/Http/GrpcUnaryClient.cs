using System.Buffers.Binary;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using Google.Protobuf;
using SignalSharp.Service.Profiles;
using SignalSharp.Service.Transport;

namespace SignalSharp.Service.Http;

/// <summary>
/// Unary gRPC over HTTP/2 without a gRPC library: <c>POST /{package.Service}/{Method}</c> with
/// <c>content-type: application/grpc</c> and <c>te: trailers</c>; each message is framed as
/// <c>compressed-flag(1) ‖ length(4, big-endian) ‖ protobuf</c>; the outcome is <c>grpc-status</c> in the trailers
/// (or in the headers of a trailers-only answer). Used where the server offers a call only as gRPC.
/// </summary>
internal sealed class GrpcUnaryClient : IDisposable
{
    private const int MaxResponseBytes = 4 * 1024 * 1024;
    private readonly HttpClient client;
    private readonly Uri baseUrl;

    public GrpcUnaryClient(ServerProfile profile, TimeSpan? timeout = null)
    {
        client = new HttpClient(ServiceHttpHandler.Create(profile), disposeHandler: true) { Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        baseUrl = profile.ChatUrl;
    }

    /// <summary>Calls <paramref name="method"/> (e.g. <c>org.signal.chat.attachments.Attachments/GetUploadForm</c>).</summary>
    /// <exception cref="GrpcCallException">A grpc-status other than OK.</exception>
    public async Task<TResponse> CallAsync<TResponse>(
        string method,
        IMessage request,
        MessageParser<TResponse> parser,
        ChatCredentials? credentials = null,
        CancellationToken cancellationToken = default)
        where TResponse : IMessage<TResponse>
    {
        var payload = request.ToByteArray();
        var framed = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(framed, 5);

        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, "/" + method))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(framed),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        message.Headers.TryAddWithoutValidation("te", "trailers");
        if (credentials is not null)
        {
            message.Headers.TryAddWithoutValidation("authorization", credentials.BasicAuthorization);
        }

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new ServiceConnectionException($"gRPC {method}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ServiceConnectionException($"gRPC {method}: no answer within {client.Timeout.TotalSeconds:0} s", e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new GrpcCallException(method, GrpcStatus.Unavailable, $"HTTP {(int)response.StatusCode} instead of a gRPC answer");
            }

            var status = Find(response, "grpc-status");
            if (status is null || !int.TryParse(status, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code))
            {
                throw new GrpcCallException(method, GrpcStatus.Unknown, "the answer carries no grpc-status");
            }

            if (code != GrpcStatus.Ok)
            {
                throw new GrpcCallException(method, code, Uri.UnescapeDataString(Find(response, "grpc-message") ?? ""));
            }

            return ParseSingleMessage(method, body, parser);
        }
    }

    public void Dispose() => client.Dispose();

    private static TResponse ParseSingleMessage<TResponse>(string method, byte[] body, MessageParser<TResponse> parser)
        where TResponse : IMessage<TResponse>
    {
        if (body.Length < 5)
        {
            throw new ServiceProtocolException($"gRPC {method}: OK without a message");
        }

        if (body[0] != 0)
        {
            throw new ServiceProtocolException($"gRPC {method}: compressed messages are not supported");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1));
        if (length > MaxResponseBytes || 5 + length != body.Length)
        {
            throw new ServiceProtocolException($"gRPC {method}: frame length {length} does not match the {body.Length - 5} bytes received");
        }

        try
        {
            return parser.ParseFrom(body, 5, (int)length);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ServiceProtocolException($"gRPC {method}: the answer is not a {typeof(TResponse).Name}", e);
        }
    }

    private static string? Find(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out var trailing) ? trailing.FirstOrDefault()
        : response.Headers.TryGetValues(name, out var leading) ? leading.FirstOrDefault()
        : null;
}

/// <summary>gRPC status codes this client distinguishes.</summary>
public static class GrpcStatus
{
    public const int Ok = 0;
    public const int Unknown = 2;
    public const int NotFound = 5;
    public const int Unavailable = 14;
    public const int Unauthenticated = 16;
}

/// <summary>A gRPC call ended with a status other than OK.</summary>
public sealed class GrpcCallException(string method, int status, string detail)
    : ServiceException($"gRPC {method}: status {status}{(detail.Length > 0 ? ": " + detail : "")}")
{
    public string Method { get; } = method;

    public int Status { get; } = status;
}
