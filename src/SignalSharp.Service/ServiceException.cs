namespace SignalSharp.Service;

/// <summary>Base of every error raised by the service layer (transport, profiles, provisioning).</summary>
public abstract class ServiceException : Exception
{
    protected ServiceException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>A server profile file is missing, unreadable or incomplete.</summary>
public sealed class ServerProfileException(string path, string reason, Exception? innerException = null)
    : ServiceException($"server profile {path}: {reason}", innerException)
{
    public string Path { get; } = path;
}

/// <summary>The WebSocket or HTTPS connection could not be opened, or broke while a request was outstanding.</summary>
public sealed class ServiceConnectionException(string message, Exception? innerException = null)
    : ServiceException(message, innerException)
{
    /// <summary>
    /// False when the request certainly never left this process (the socket was already gone), so repeating it
    /// cannot make the server act twice.
    /// </summary>
    public bool RequestMayHaveBeenSent { get; init; } = true;

    /// <summary>The HTTP status the server answered a WebSocket upgrade with, when it answered at all.</summary>
    public int? HttpStatus { get; init; }

    /// <summary>How long the server asked us to wait (<c>Retry-After</c> on 429 and 503).</summary>
    public TimeSpan? RetryAfter { get; init; }
}

/// <summary>The server rejected the credentials (close code 3000 on the chat socket, or HTTP 401).</summary>
public sealed class ServiceAuthenticationException(string message)
    : ServiceException(message);

/// <summary>Another connection for the same device replaced this one (close code 4409); reconnecting would fight it.</summary>
public sealed class ConnectionReplacedException()
    : ServiceException("another connection for this device replaced the chat socket (close code 4409)");

/// <summary>No response arrived for a WebSocket request within its timeout.</summary>
public sealed class RequestTimeoutException(string verb, string path, TimeSpan timeout)
    : ServiceException($"{verb} {path}: no response within {timeout.TotalSeconds:0.###} s")
{
    public TimeSpan Timeout { get; } = timeout;
}

/// <summary>The peer sent something that violates the wire protocol (bad protobuf, bad provisioning envelope).</summary>
public sealed class ServiceProtocolException(string message, Exception? innerException = null)
    : ServiceException(message, innerException);

/// <summary>A CDN object is larger than the caller takes; it was not read past the limit.</summary>
public sealed class CdnObjectTooLargeException(string what, long limit)
    : ServiceException($"{what} is larger than {limit} bytes")
{
    public long Limit { get; } = limit;
}
