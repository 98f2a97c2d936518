namespace SignalSharp.Protocol;

/// <summary>A message's version nibble is too old (legacy, below 3) or newer than this implementation knows (above 4).</summary>
public sealed class InvalidMessageVersionException(int version)
    : ProtocolException(version < 3 ? $"legacy ciphertext version {version}" : $"unrecognized ciphertext version {version}")
{
    public int Version { get; } = version;

    public bool IsLegacy => Version < 3;
}
