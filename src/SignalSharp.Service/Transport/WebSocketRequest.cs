using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace SignalSharp.Service.Transport;

/// <summary>A client request carried inside the chat or provisioning WebSocket.</summary>
/// <param name="Verb">GET, PUT, POST, …</param>
/// <param name="Path">Path and query, e.g. <c>/v2/keys?identity=pni</c>.</param>
public sealed record WebSocketRequest(string Verb, string Path)
{
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>Header lines as <c>Name:value</c>. The mock splits on the first colon and drops the rest of a value containing one.</summary>
    public IReadOnlyList<string> Headers { get; init; } = [];

    /// <summary>Overrides the connection's default request timeout.</summary>
    public TimeSpan? Timeout { get; init; }

    public static WebSocketRequest Get(string path) => new("GET", path);

    /// <summary>A request whose body is <paramref name="value"/> as JSON (source-generated metadata, so AOT-safe).</summary>
    public static WebSocketRequest Json<T>(string verb, string path, T value, JsonTypeInfo<T> typeInfo) =>
        new(verb, path)
        {
            Body = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo),
            Headers = ["content-type:application/json"],
        };

    /// <summary>Adds a header line; returns a new request.</summary>
    public WebSocketRequest WithHeader(string name, string value) => this with { Headers = [.. Headers, $"{name}:{value}"] };
}

/// <summary>The server's answer to a <see cref="WebSocketRequest"/>.</summary>
public sealed record WebSocketResponse(int Status, string? Message, IReadOnlyList<string> Headers, ReadOnlyMemory<byte> Body)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    public string BodyText => System.Text.Encoding.UTF8.GetString(Body.Span);

    /// <summary>The value of the first header line named <paramref name="name"/> (case-insensitive), if any.</summary>
    public string? Header(string name) => HeaderLines.Find(Headers, name);

    public T? ReadJson<T>(JsonTypeInfo<T> typeInfo)
    {
        try
        {
            return JsonSerializer.Deserialize(Body.Span, typeInfo);
        }
        catch (JsonException e)
        {
            throw new ServiceProtocolException($"response {Status} is not the expected JSON: {e.Message}", e);
        }
    }
}

internal static class HeaderLines
{
    public static string? Find(IReadOnlyList<string> lines, string name)
    {
        foreach (var line in lines)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }
}
