namespace SignalSharp.Protocol;

/// <summary>A prekey bundle's signed prekey or Kyber prekey signature did not verify with the bundle's identity key.</summary>
public sealed class InvalidPreKeySignatureException(string which)
    : ProtocolException($"signature validation failed for {which}")
{
    /// <summary>"signed pre key" or "kyber pre key".</summary>
    public string Which { get; } = which;
}
