using System.Globalization;
using System.Text.Json;

namespace SignalSharp.Service.Profiles;

/// <summary>
/// Everything that names one Signal server deployment: where its services live, which TLS certificates to trust,
/// the root that signs sealed-sender certificates and the zkgroup server public parameters.
/// </summary>
public sealed record ServerProfile
{
    public required string Name { get; init; }

    /// <summary>The chat service (its WebSockets and REST routes).</summary>
    public required Uri ChatUrl { get; init; }

    /// <summary>The storage service; groups v2 are served under it too.</summary>
    public required Uri StorageUrl { get; init; }

    /// <summary>CDN base URLs by CDN number (0, 2, 3).</summary>
    public required IReadOnlyDictionary<int, Uri> CdnUrls { get; init; }

    /// <summary>What the chat and storage hosts' TLS chains must lead to (production: Signal's own roots only).</summary>
    public required TlsTrust Trust { get; init; }

    /// <summary>What the CDN hosts' chains must lead to (production: the public roots); unset: <see cref="Trust"/>.</summary>
    public TlsTrust? CdnTrust { get; init; }

    /// <summary>The trust for one host: <see cref="CdnTrust"/> for a host that serves only CDNs, <see cref="Trust"/> otherwise.</summary>
    public TlsTrust TrustFor(string host)
    {
        if (CdnTrust is null || !CdnUrls.Values.Any(u => Same(u.Host, host)))
        {
            return Trust;
        }

        var ownHosts = ChatEndpoints.Select(e => e.Url.Host).Append(ChatUrl.Host).Append(StorageUrl.Host);
        return ownHosts.Any(h => Same(h, host)) ? Trust : CdnTrust;

        static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>33-byte Curve25519 keys (0x05 prefix); a sender certificate must chain to one of them.</summary>
    public required IReadOnlyList<byte[]> SealedSenderTrustRoots { get; init; }

    /// <summary>The serialized zkgroup <c>ServerPublicParams</c>.</summary>
    public required byte[] ZkGroupServerPublicParams { get; init; }

    /// <summary>
    /// gRPC methods (full names, <c>package.Service/Method</c>) this server is to be asked first for what they do; every
    /// other call goes over the chat socket's REST routes, as Signal's clients do. Production denies gRPC methods
    /// unless allowed, so its profile names none; the mock serves the upload form and the multi-recipient send only
    /// as gRPC, so its profile names both.
    /// </summary>
    public IReadOnlySet<string> GrpcMethods { get; init; } = new HashSet<string>();

    public bool UsesGrpc(string method) => GrpcMethods.Contains(method);

    /// <summary>
    /// Where the chat and provisioning WebSockets are opened, in order of preference; an endpoint that cannot be
    /// reached or cannot carry the WebSocket is skipped. Unset: <see cref="ChatUrl"/> by HTTP/2 extended CONNECT.
    /// </summary>
    public IReadOnlyList<ChatEndpoint> ChatEndpoints
    {
        get => chatEndpoints is { Count: > 0 } ? chatEndpoints : [new ChatEndpoint(ChatUrl, ChatHttpVersion.Http2)];
        init => chatEndpoints = value;
    }

    /// <summary>
    /// The mock server's ways, not production's: close code 3000 means bad credentials, and an authenticated socket
    /// that keeps closing before its first answer means rejected credentials.
    /// </summary>
    public bool MockQuirks { get; init; }

    /// <summary>The authenticated and unauthenticated chat socket (exact path, trailing slash) on the preferred endpoint.</summary>
    public Uri ChatWebSocketUrl => ChatEndpoints[0].ChatWebSocketUrl;

    public Uri ProvisioningWebSocketUrl => ChatEndpoints[0].ProvisioningWebSocketUrl;

    private readonly IReadOnlyList<ChatEndpoint>? chatEndpoints;

    public Uri CdnUrl(int cdnNumber) =>
        CdnUrls.TryGetValue(cdnNumber, out var url)
            ? url
            : throw new ArgumentOutOfRangeException(nameof(cdnNumber), cdnNumber, $"profile {Name} has no CDN {cdnNumber}");

    /// <summary>Signal's production service.</summary>
    public static ServerProfile Production { get; } = new()
    {
        Name = "production",
        ChatUrl = new Uri("https://chat.signal.org"),
        // libsignal >= 0.97.1 opens chat over HTTP/2 on grpc.chat.signal.org; chat.signal.org takes HTTP/1.1 Upgrade.
        ChatEndpoints =
        [
            new ChatEndpoint(new Uri("https://grpc.chat.signal.org"), ChatHttpVersion.Http2),
            new ChatEndpoint(new Uri("https://chat.signal.org"), ChatHttpVersion.Http11),
        ],
        StorageUrl = new Uri("https://storage.signal.org"),
        CdnUrls = new Dictionary<int, Uri>
        {
            [0] = new Uri("https://cdn.signal.org"),
            [2] = new Uri("https://cdn2.signal.org"),
            [3] = new Uri("https://cdn3.signal.org"),
        },
        // As libsignal pins them: chat and storage chain to Signal's roots only; the CDNs present public certificates.
        Trust = TlsTrust.FromPem(SignalRootCa.Pem),
        CdnTrust = TlsTrust.System,
        SealedSenderTrustRoots =
        [
            Convert.FromBase64String("BXu6QIKVz5MA8gstzfOgRQGqyLqOwNKHL6INkv3IHWMF"),
            Convert.FromBase64String("BUkY0I+9+oPgDCn4+Ac6Iu813yvqkDr/ga8DzLxFxuk6"),
        ],
        ZkGroupServerPublicParams = Convert.FromBase64String(
            "AMhf5ywVwITZMsff/eCyudZx9JDmkkkbV6PInzG4p8x3VqVJSFiMvnvlEKWuRob/1eaIetR31IYeAbm0NdOuHH8Qi+Rexi1wLlpzIo1gstHWBfZzy1+qHRV5A4TqPp15YzBPm0WSggW6PbSn+F4lf57VCnHF7p8SvzAA2ZZJPYJURt8X7bbg+H3i+PEjH9DXItNEqs2sNcug37xZQDLm7X36nOoGPs54XsEGzPdEV+itQNGUFEjY6X9Uv+Acuks7NpyGvCoKxGwgKgE5XyJ+nNKlyHHOLb6N1NuHyBrZrgtY/JYJHRooo5CEqYKBqdFnmbTVGEkCvJKxLnjwKWf+fEPoWeQFj5ObDjcKMZf2Jm2Ae69x+ikU5gBXsRmoF94GXTLfN0/vLt98KDPnxwAQL9j5V1jGOY8jQl6MLxEs56cwXN0dqCnImzVH3TZT1cJ8SW1BRX6qIVxEzjsSGx3yxF3suAilPMqGRp4ffyopjMD1JXiKR2RwLKzizUe5e8XyGOy9fplzhw3jVzTRyUZTRSZKkMLWcQ/gv0E4aONNqs4P+NameAZYOD12qRkxosQQP5uux6B2nRyZ7sAV54DgFyLiRcq1FvwKw2EPQdk4HDoePrO/RNUbyNddnM/mMgj4FW65xCoT1LmjrIjsv/Ggdlx46ueczhMgtBunx1/w8k8V+l8LVZ8gAT6wkU5J+DPQalQguMg12Jzug3q4TbdHiGCmD9EunCwOmsLuLJkz6EcSYXtrlDEnAM+hicw7iergYLLlMXpfTdGxJCWJmP4zqUFeTTmsmhsjGBt7NiEB/9pFFEB3pSbf4iiUukw63Eo8Aqnf4iwob6X1QviCWuc8t0LUlT9vALgh/f2DPVOOmR0RW6bgRvc7DSF20V/omg+YBw=="),
    };

    /// <summary>The profile as JSON that <see cref="Parse"/> and <see cref="Load"/> read back (the CA embedded as PEM).</summary>
    public string ToJson()
    {
        var document = new ServerProfileDocument
        {
            Name = Name,
            ChatUrl = ChatUrl.ToString(),
            StorageUrl = StorageUrl.ToString(),
            CdnUrls = CdnUrls.ToDictionary(e => e.Key.ToString(CultureInfo.InvariantCulture), e => e.Value.ToString()),
            CaCertificatePem = Trust is CustomRootTlsTrust custom
                ? string.Join('\n', custom.Roots.Select(root => root.ExportCertificatePem()))
                : null,
            TrustSystemRoots = Trust is CustomRootTlsTrust { AlsoSystemRoots: true } ? true : null,
            TrustRoots = SealedSenderTrustRoots.Select(Convert.ToBase64String).ToList(),
            ServerPublicParams = Convert.ToBase64String(ZkGroupServerPublicParams),
            GrpcMethods = GrpcMethods.Count == 0 ? null : [.. GrpcMethods.Order(StringComparer.Ordinal)],
            ChatEndpoints = chatEndpoints is { Count: > 0 } ? [.. chatEndpoints.Select(ChatEndpointDocument.From)] : null,
            MockQuirks = MockQuirks ? true : null,
            CdnTrust = CdnTrust switch
            {
                null => null,
                SystemTlsTrust => "system",
                _ => throw new InvalidOperationException("only the system trust store can be stored as cdnTrust"),
            },
        };
        return JsonSerializer.Serialize(document, ServerProfileJsonContext.Default.ServerProfileDocument);
    }

    /// <summary>Reads a profile from a JSON file (see <see cref="ServerProfileDocument"/> for the format).</summary>
    public static ServerProfile Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServerProfileException(path, "cannot be read", e);
        }

        return Parse(json, Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", path);
    }

    /// <summary>Parses profile JSON; a relative CA path is taken relative to <paramref name="baseDirectory"/>.</summary>
    public static ServerProfile Parse(string json, string baseDirectory, string sourceName = "<json>")
    {
        ServerProfileDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, ServerProfileJsonContext.Default.ServerProfileDocument);
        }
        catch (JsonException e)
        {
            throw new ServerProfileException(sourceName, "is not valid JSON: " + e.Message, e);
        }

        if (document is null)
        {
            throw new ServerProfileException(sourceName, "is empty");
        }

        return FromDocument(document, baseDirectory, sourceName);
    }

    private static ServerProfile FromDocument(ServerProfileDocument document, string baseDirectory, string source)
    {
        var chat = RequireUrl(document.ChatUrl, "chatUrl", source);
        var cdns = new Dictionary<int, Uri>();
        foreach (var (key, value) in document.CdnUrls ?? [])
        {
            if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                throw new ServerProfileException(source, $"cdnUrls key \"{key}\" is not a CDN number");
            }

            cdns[number] = RequireUrl(value, $"cdnUrls.{key}", source);
        }

        var roots = new List<byte[]>();
        foreach (var root in (document.TrustRoots ?? []).Concat(document.TrustRoot is null ? [] : [document.TrustRoot]))
        {
            var bytes = RequireBase64(root, "trustRoots", source);
            if (bytes.Length != 33 || bytes[0] != 0x05)
            {
                throw new ServerProfileException(source, "a trust root must be a 33-byte Curve25519 key starting with 0x05");
            }

            roots.Add(bytes);
        }

        if (roots.Count == 0)
        {
            throw new ServerProfileException(source, "trustRoots is required");
        }

        return new ServerProfile
        {
            Name = string.IsNullOrWhiteSpace(document.Name) ? Path.GetFileNameWithoutExtension(source) : document.Name,
            ChatUrl = chat,
            StorageUrl = document.StorageUrl is null ? new Uri(chat, "storageService") : RequireUrl(document.StorageUrl, "storageUrl", source),
            CdnUrls = cdns,
            Trust = LoadTrust(document, baseDirectory, source),
            SealedSenderTrustRoots = roots,
            ZkGroupServerPublicParams = RequireBase64(document.ServerPublicParams, "serverPublicParams", source),
            GrpcMethods = new HashSet<string>(document.GrpcMethods ?? [], StringComparer.Ordinal),
            ChatEndpoints = [.. (document.ChatEndpoints ?? []).Select((e, i) => e.ToEndpoint(i, source))],
            MockQuirks = document.MockQuirks == true,
            CdnTrust = document.CdnTrust switch
            {
                null => null,
                "system" => TlsTrust.System,
                _ => throw new ServerProfileException(source, "cdnTrust must be \"system\" (or absent: the chat trust)"),
            },
        };
    }

    private static TlsTrust LoadTrust(ServerProfileDocument document, string baseDirectory, string source)
    {
        try
        {
            if (document.CaCertificatePem is { } pem)
            {
                return TlsTrust.FromPem(pem, document.TrustSystemRoots == true);
            }

            if (document.CaCertificatePath is { } caPath)
            {
                return TlsTrust.FromPem(File.ReadAllText(Path.Combine(baseDirectory, caPath)), document.TrustSystemRoots == true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException
                                      or System.Security.Cryptography.CryptographicException)
        {
            throw new ServerProfileException(source, "the CA certificate cannot be loaded: " + e.Message, e);
        }

        return TlsTrust.System;
    }

    internal static Uri RequireUrl(string? value, string field, string source) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : throw new ServerProfileException(source, $"{field} must be an absolute http(s) URL");

    private static byte[] RequireBase64(string? value, string field, string source)
    {
        try
        {
            return value is null
                ? throw new ServerProfileException(source, $"{field} is required")
                : Convert.FromBase64String(value);
        }
        catch (FormatException e)
        {
            throw new ServerProfileException(source, $"{field} is not base64", e);
        }
    }

}
