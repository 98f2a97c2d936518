namespace SignalSharp.Service.Transport;

/// <summary>Credentials of a registered device: the socket logs in as <c>"{Aci}.{DeviceId}"</c> (even device 1).</summary>
public sealed record ChatCredentials(string Aci, uint DeviceId, string Password)
{
    public string Username => $"{Aci}.{DeviceId}";

    /// <summary>The <c>Authorization</c> header value.</summary>
    public string BasicAuthorization => "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{Username}:{Password}"));

    // The generated record ToString would print the password into logs.
    public override string ToString() => $"ChatCredentials {{ Username = {Username} }}";
}

/// <summary>Timing of a <see cref="ChatConnection"/>.</summary>
public sealed record ChatConnectionOptions
{
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often an idle socket sends <c>GET /v1/keepalive</c>; zero turns it off.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A keepalive not answered within this drops the socket, which then reconnects.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public Backoff Reconnect { get; init; } = Backoff.Default;

    /// <summary>
    /// Closes the socket once no caller's request has been in flight for this long, and opens it again for the next
    /// request (which then waits for the connect); null keeps it open for good. Only for an unauthenticated connection:
    /// the server sends nothing on it, so a closed one misses nothing, while an authenticated socket is how messages
    /// arrive.
    /// </summary>
    public TimeSpan? IdleClose { get; init; }

    /// <summary>
    /// Sent on an authenticated socket's upgrade as <c>X-Signal-Receive-Stories</c>: whether the server delivers
    /// stories to this device at all.
    /// </summary>
    public bool ReceiveStories { get; init; }

    /// <summary>
    /// Sent as User-Agent and X-Signal-Agent on the upgrade: SignalSharp and its version, never an official client's
    /// name (the server applies an official client's minimum version and expiry to it).
    /// </summary>
    public string UserAgent { get; init; } = DefaultUserAgent;

    /// <summary><c>SignalSharp/&lt;version&gt;</c> from this assembly's informational version (without the commit suffix).</summary>
    public static string DefaultUserAgent { get; } = "SignalSharp/" + (typeof(ChatConnectionOptions).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
        .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split('+')[0] ?? "0");
}

/// <summary>Where a <see cref="ChatConnection"/> stands.</summary>
public enum ChatConnectionState
{
    NotStarted,
    Connected,
    Reconnecting,

    /// <summary>Stopped for good: disposed, or a failure that reconnecting cannot fix (see <see cref="ChatConnection.Completion"/>).</summary>
    Closed,

    /// <summary>Closed after <see cref="ChatConnectionOptions.IdleClose"/> without a request; the next request opens it again.</summary>
    Idle,
}
