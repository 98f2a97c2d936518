namespace SignalSharp.Crypto;

/// <summary>Base of every error raised by SignalSharp.Crypto.</summary>
public abstract class CryptoException : Exception
{
    protected CryptoException(string message)
        : base(message)
    {
    }

    protected CryptoException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A key is malformed: wrong length, wrong type byte, or it yields an unusable agreement.</summary>
public class InvalidKeyException : CryptoException
{
    public InvalidKeyException(string message)
        : base(message)
    {
    }
}

/// <summary>Authenticated decryption failed (tag mismatch) or the padding of a CBC plaintext is wrong.</summary>
public sealed class DecryptionFailedException : CryptoException
{
    public DecryptionFailedException(string message)
        : base(message)
    {
    }

    public DecryptionFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
