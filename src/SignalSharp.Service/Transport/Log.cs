using Microsoft.Extensions.Logging;

namespace SignalSharp.Service.Transport;

/// <summary>Source-generated log messages of the transport. Never pass credentials or message bodies here.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "{Name}: connected to {Url}")]
    public static partial void Connected(ILogger logger, string name, Uri url);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "{Name}: socket ended: {How}")]
    public static partial void SocketEnded(ILogger logger, string name, string how);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "{Name}: connecting failed (attempt {Attempt}): {Reason}; retrying in {Delay}")]
    public static partial void ConnectFailed(ILogger logger, string name, int attempt, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "{Name}: skipped {What}")]
    public static partial void MalformedFrame(ILogger logger, string name, string what);

    [LoggerMessage(EventId = 104, Level = LogLevel.Debug, Message = "{Name}: response for unknown request id {Id} ignored")]
    public static partial void UnexpectedResponse(ILogger logger, string name, ulong id);

    [LoggerMessage(EventId = 105, Level = LogLevel.Debug, Message = "{Name}: server request {Verb} {Path} (id {Id})")]
    public static partial void ServerRequest(ILogger logger, string name, string verb, string path, ulong id);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "{Name}: {Verb} {Path} (id {Id}) timed out")]
    public static partial void RequestTimedOut(ILogger logger, string name, string verb, string path, ulong id);

    [LoggerMessage(EventId = 107, Level = LogLevel.Debug, Message = "{Name}: could not answer server request {Id}: {Reason}")]
    public static partial void ResponseDropped(ILogger logger, string name, ulong id, string reason);

    [LoggerMessage(EventId = 108, Level = LogLevel.Warning, Message = "{Name}: keepalive failed ({Reason}); dropping the socket")]
    public static partial void KeepAliveFailed(ILogger logger, string name, string reason);

    [LoggerMessage(EventId = 109, Level = LogLevel.Error, Message = "{Name}: giving up: {Reason}")]
    public static partial void GaveUp(ILogger logger, string name, string reason);

    [LoggerMessage(EventId = 110, Level = LogLevel.Debug, Message = "{Name}: server request {Verb} {Path} dropped (nobody reads incoming requests)")]
    public static partial void RequestDropped(ILogger logger, string name, string verb, string path);

    [LoggerMessage(EventId = 111, Level = LogLevel.Error, Message = "{Name}: the reconnect supervisor ended without a shutdown request ({Reason}); restarting it (restart {Restart})")]
    public static partial void SupervisorEnded(ILogger logger, string name, string reason, int restart);

    [LoggerMessage(EventId = 112, Level = LogLevel.Information, Message = "{Name}: using chat endpoint {Endpoint} ({Index} of {Count})")]
    public static partial void EndpointChosen(ILogger logger, string name, string endpoint, int index, int count);

    [LoggerMessage(EventId = 113, Level = LogLevel.Warning, Message = "{Name}: chat endpoint {Endpoint} unusable ({Reason}); trying the next one")]
    public static partial void EndpointSkipped(ILogger logger, string name, string endpoint, string reason);

    [LoggerMessage(EventId = 114, Level = LogLevel.Warning, Message = "{Name}: the server asked to wait {Delay} (HTTP {Status}) before reconnecting")]
    public static partial void ServerAskedToWait(ILogger logger, string name, TimeSpan delay, int status);

    [LoggerMessage(EventId = 115, Level = LogLevel.Warning, Message = "{Name}: the server asked us to re-authenticate (close code 4401); reconnecting once at once")]
    public static partial void ReauthenticationRequested(ILogger logger, string name);

    [LoggerMessage(EventId = 116, Level = LogLevel.Debug, Message = "{Name}: could not answer the server's close frame: {Reason}")]
    public static partial void CloseAnswerFailed(ILogger logger, string name, string reason);

    [LoggerMessage(EventId = 117, Level = LogLevel.Warning, Message = "{Name}: the server sent the alert \"{Alert}\"")]
    public static partial void ServerAlert(ILogger logger, string name, string alert);

    [LoggerMessage(EventId = 118, Level = LogLevel.Warning, Message = "provisioning: a keepalive was not answered within {Timeout}; still sending them")]
    public static partial void ProvisioningKeepAliveLost(ILogger logger, TimeSpan timeout);

    [LoggerMessage(EventId = 119, Level = LogLevel.Debug, Message = "{Name}: closed after {Idle} without a request; the next one opens it again")]
    public static partial void ClosedWhileIdle(ILogger logger, string name, TimeSpan idle);
}
