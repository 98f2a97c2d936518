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
///   "grpcMethods": [ "org.signal.chat.attachments.Attachments/GetUploadForm" ] }  // optional: ask gRPC first

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
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ServerProfileDocument))]
internal sealed partial class ServerProfileJsonContext : JsonSerializerContext;
