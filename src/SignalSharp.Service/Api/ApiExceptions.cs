namespace SignalSharp.Service.Api;

/// <summary>The recipient has no account (or is unregistered): HTTP 404.</summary>
public sealed class UnregisteredRecipientException(string serviceId)
    : ServiceException($"{serviceId} is not registered with the server (404)")
{
    public string ServiceId { get; } = serviceId;
}

/// <summary>The server wants a challenge solved before more sends to this recipient (HTTP 428).</summary>
public sealed class RateLimitChallengeException(string token, IReadOnlyList<string> options)
    : ServiceException($"rate limited: the server requires a challenge ({string.Join(", ", options)})")
{
    public string Token { get; } = token;

    public IReadOnlyList<string> Options { get; } = options;
}

/// <summary>The request body was too large for the server (HTTP 413).</summary>
public sealed class PayloadTooLargeException(string route)
    : ServiceException($"{route}: the server refused the body as too large (413)");

/// <summary>A status the route does not define; <see cref="Detail"/> is the server's error text if any.</summary>
public sealed class UnexpectedResponseException(string route, int status, string? detail)
    : ServiceException($"{route}: HTTP {status}{(string.IsNullOrEmpty(detail) ? "" : ": " + detail)}")
{
    public string Route { get; } = route;

    public int Status { get; } = status;

    public string? Detail { get; } = detail;
}
