namespace SignalSharp.ZkGroup;

/// <summary>Base of every error raised by SignalSharp.ZkGroup.</summary>
public abstract class ZkGroupException : Exception
{
    protected ZkGroupException(string message)
        : base(message)
    {
    }

    protected ZkGroupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Serialized zkgroup data has the wrong length, version byte, a non-canonical scalar or an undecodable point.</summary>
public sealed class ZkGroupDeserializationException : ZkGroupException
{
    public ZkGroupDeserializationException(string typeName, string reason)
        : base($"invalid {typeName}: {reason}")
    {
        TypeName = typeName;
    }

    public string TypeName { get; }
}

/// <summary>A ciphertext, blob or proof failed to decrypt or verify.</summary>
public sealed class ZkGroupVerificationException : ZkGroupException
{
    public ZkGroupVerificationException(string what)
        : base($"{what} failed verification")
    {
        What = what;
    }

    public ZkGroupVerificationException(string what, Exception innerException)
        : base($"{what} failed verification", innerException)
    {
        What = what;
    }

    public string What { get; }
}
