namespace SignalSharp.Protocol;

/// <summary>Which kind of prekey an id refers to.</summary>
public enum PreKeyType
{
    PreKey,
    SignedPreKey,
    KyberPreKey,
}

/// <summary>A store has no prekey with the requested id (libsignal's InvalidPreKeyId and its siblings).</summary>
public sealed class InvalidKeyIdException : ProtocolException
{
    public InvalidKeyIdException(uint keyId, PreKeyType type = PreKeyType.PreKey)
        : base($"invalid {Describe(type)} id {keyId}")
    {
        KeyId = keyId;
        Type = type;
    }

    public uint KeyId { get; }

    public PreKeyType Type { get; }

    private static string Describe(PreKeyType type) => type switch
    {
        PreKeyType.SignedPreKey => "signed prekey",
        PreKeyType.KyberPreKey => "Kyber prekey",
        _ => "prekey",
    };
}

/// <summary>The remote identity key is not the one we trust for this address (a changed key is never silently accepted).</summary>
public sealed class UntrustedIdentityException : ProtocolException
{
    public UntrustedIdentityException(ProtocolAddress address, IdentityKey identityKey)
        : base($"untrusted identity for address {address}")
    {
        Address = address;
        IdentityKey = identityKey;
    }

    public ProtocolAddress Address { get; }

    public IdentityKey IdentityKey { get; }
}

/// <summary>A signature over key material does not verify (libsignal's SignatureValidationFailed).</summary>
public sealed class InvalidSignatureException : ProtocolException
{
    public InvalidSignatureException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// Serialized key material or a key record is malformed: a bad type byte or length, or an unreadable protobuf.
/// Wraps the <see cref="Crypto.InvalidKeyException"/> of the primitive layer when there is one.
/// </summary>
public sealed class InvalidKeyMaterialException : ProtocolException
{
    public InvalidKeyMaterialException(string message)
        : base(message)
    {
    }

    public InvalidKeyMaterialException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal static T Wrap<T>(string what, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (Crypto.InvalidKeyException e)
        {
            throw new InvalidKeyMaterialException($"invalid {what}: {e.Message}", e);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException e)
        {
            throw new InvalidKeyMaterialException($"invalid {what}: {e.Message}", e);
        }
    }
}
