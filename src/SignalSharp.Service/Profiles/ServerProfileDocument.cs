using System.Text.Json.Serialization;

namespace SignalSharp.Service.Profiles;

/// <summary>
/// The JSON form of a <see cref="ServerProfile"/> (<c>--server FILE</c>). Binary values are base64.
/// <code>
/// { "name": "mock", "chatUrl": "https://127.0.0.1:4433", "storageUrl": "https://127.0.0.1:4433/storageService",
///   "cdnUrls": { "0": "https://127.0.0.1:4433", "2": "…/cdn2", "3": "…/cdn3" },
///   "caCertificatePath": "ca-cert.pem",            // or "caCertificatePem"; neither = the system trust store
///   "trustSystemRoots": false,                     // with a CA: also accept chains the system trusts
///   "trustRoots": [ "BZ8zqn…" ],                    // or "trustRoot": "…"
///   "serverPublicParams": "ACK6…",
///   "grpcMethods": [ "org.signal.chat.attachments.Attachments/GetUploadForm" ],  // optional: ask gRPC first
///   "chatEndpoints": [                              // optional; default: chatUrl over HTTP/2
///     { "url": "https://grpc.chat.signal.org", "http": "2" },      // "2", "1.1" or "negotiate"
///     { "url": "https://chat.signal.org", "http": "1.1" } ],
///   "cdnTrust": "system",                         // optional: CDN-only hosts trust the system store (production)
///   "mockQuirks": true }                           // only for the mock: close code 3000 and silent closes mean bad credentials
/// </code>
/// A relative <c>caCertificatePath</c> is relative to the JSON file's folder.
/// </summary>
internal sealed record ServerProfileDocument
{
    public string? Name { get; init; }

    public string? ChatUrl { get; init; }

    public string? StorageUrl { get; init; }

    public Dictionary<string, string>? CdnUrls { get; init; }

    public string? CaCertificatePath { get; init; }

    public string? CaCertificatePem { get; init; }

    public bool? TrustSystemRoots { get; init; }

    public List<string>? TrustRoots { get; init; }

    public string? TrustRoot { get; init; }

    public string? ServerPublicParams { get; init; }

    public List<string>? GrpcMethods { get; init; }

    public List<ChatEndpointDocument>? ChatEndpoints { get; init; }

    public bool? MockQuirks { get; init; }

    public string? CdnTrust { get; init; }
}

/// <summary>One entry of <c>chatEndpoints</c>.</summary>
internal sealed record ChatEndpointDocument
{
    public string? Url { get; init; }

    public string? Http { get; init; }

    public static ChatEndpointDocument From(ChatEndpoint endpoint) => new()
    {
        Url = endpoint.Url.ToString(),
        Http = endpoint.Http switch
        {
            ChatHttpVersion.Http2 => "2",
            ChatHttpVersion.Http11 => "1.1",
            _ => "negotiate",
        },
    };

    public ChatEndpoint ToEndpoint(int index, string source) => new(
        ServerProfile.RequireUrl(Url, $"chatEndpoints[{index}].url", source),
        Http switch
        {
            "2" or null => ChatHttpVersion.Http2,
            "1.1" => ChatHttpVersion.Http11,
            "negotiate" => ChatHttpVersion.Negotiate,
            _ => throw new ServerProfileException(source, $"chatEndpoints[{index}].http must be \"2\", \"1.1\" or \"negotiate\""),
        });
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ServerProfileDocument))]
internal sealed partial class ServerProfileJsonContext : JsonSerializerContext;
