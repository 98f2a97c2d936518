namespace SignalSharp.JsonRpc;

/// <summary>When a connection starts getting <c>receive</c> notifications (signal-cli's --receive-mode).</summary>
public enum ReceiveMode
{
    /// <summary>Every connection is subscribed as it opens (signal-cli's default).</summary>
    OnStart,

    /// <summary>As <see cref="OnStart"/> for a connection; signal-cli starts receiving only once a client connects.</summary>
    OnConnection,

    /// <summary>A connection gets notifications only after subscribeReceive, and may poll with receive.</summary>
    Manual,
}

/// <summary>How the JSON-RPC front end serves one account.</summary>
/// <param name="Account">The account's phone number, echoed in every receive payload.</param>
/// <param name="Version">What <c>version</c> answers: the signal-cli release whose JSON-RPC this front end speaks.</param>
public sealed record JsonRpcOptions(string Account, ReceiveMode ReceiveMode = ReceiveMode.OnStart, bool IgnoreAttachments = false, string Version = "0.13.19")
{
    /// <summary>How long one wait of a subscription's receive loop lasts before it asks again.</summary>
    public TimeSpan SubscriptionPollTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Where received attachments are kept for getAttachment (signal-cli's DATA/attachments); null keeps none and
    /// notifications carry no attachment id.
    /// </summary>
    public string? AttachmentDirectory { get; init; }

    /// <summary>The longest input line accepted (a send with data: URIs can be large).</summary>
    public int MaxLineBytes { get; init; } = 64 * 1024 * 1024;
}
