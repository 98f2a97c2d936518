namespace SignalSharp.JsonRpc.Protocol;

/// <summary>The error codes signal-cli answers with: JSON-RPC 2.0's own and signal-cli's negative small ones.</summary>
public static class JsonRpcErrorCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;

    /// <summary>The request was understood but cannot be done as asked (bad recipient, unknown group, …).</summary>
    public const int UserError = -1;

    /// <summary>Talking to the Signal service failed.</summary>
    public const int IoError = -3;

    /// <summary>A recipient's identity key changed and is not trusted.</summary>
    public const int UntrustedKey = -4;

    /// <summary>The service rate-limited the account.</summary>
    public const int RateLimit = -5;

    /// <summary>The service rejected a captcha.</summary>
    public const int CaptchaRejected = -6;
}
