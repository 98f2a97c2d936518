namespace SignalSharp.Service.Profiles;

/// <summary>How a WebSocket is opened on a chat endpoint.</summary>
public enum ChatHttpVersion
{
    /// <summary>HTTP/2 extended CONNECT (RFC 8441) only: <c>grpc.chat.signal.org</c>, and the mock.</summary>
    Http2,

    /// <summary>HTTP/1.1 Upgrade only: <c>chat.signal.org</c> as libsignal before 0.97.1 and signal-cli reach it.</summary>
    Http11,

    /// <summary>HTTP/2 when the connection offers extended CONNECT, HTTP/1.1 Upgrade otherwise.</summary>
    Negotiate,
}

/// <summary>One host that serves the chat and provisioning WebSockets; a profile lists them in order of preference.</summary>
public sealed record ChatEndpoint(Uri Url, ChatHttpVersion Http)
{
    public Uri ChatWebSocketUrl => ToWebSocket("v1/websocket/");

    public Uri ProvisioningWebSocketUrl => ToWebSocket("v1/websocket/provisioning/");

    public override string ToString() => $"{Url.GetLeftPart(UriPartial.Authority)} ({Http switch
    {
        ChatHttpVersion.Http2 => "HTTP/2",
        ChatHttpVersion.Http11 => "HTTP/1.1",
        _ => "HTTP/2 or HTTP/1.1",
    }})";

    private Uri ToWebSocket(string relative)
    {
        var baseUrl = Url.AbsolutePath.EndsWith('/') ? Url : new Uri(Url + "/");
        return new UriBuilder(new Uri(baseUrl, relative)) { Scheme = Url.Scheme == Uri.UriSchemeHttp ? "ws" : "wss" }.Uri;
    }
}
