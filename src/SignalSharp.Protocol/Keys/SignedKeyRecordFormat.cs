using Google.Protobuf;
using SignalSharp.Protocol.Proto.StorageKeys;

namespace SignalSharp.Protocol;

/// <summary>
/// What signed EC prekeys and Kyber prekeys share: the identity key signs the serialized public key, and both are
/// stored in libsignal's SignedPreKeyRecordStructure {1 id, 2 public, 3 private, 4 signature, 5 timestamp (ms)};
/// only the key types differ, so each record passes its own key bytes in and builds its own keys out.
/// </summary>
internal static class SignedKeyRecordFormat
{
    public static byte[] Sign(IdentityKeyPair identity, byte[] publicKey)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return identity.PrivateKey.CalculateSignature(publicKey);
    }

    public static bool Verify(IdentityKey identityKey, byte[] publicKey, byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(identityKey);
        return identityKey.PublicKey.VerifySignature(publicKey, signature);
    }

    public static byte[] Serialize(uint id, ulong timestamp, byte[] publicKey, byte[] privateKey, byte[] signature) => new SignedPreKeyRecordStructure
    {
        Id = id,
        PublicKey = ByteString.CopyFrom(publicKey),
        PrivateKey = ByteString.CopyFrom(privateKey),
        Signature = ByteString.CopyFrom(signature),
        Timestamp = timestamp,
    }.ToByteArray();

    /// <summary>Parses the structure and hands it to <paramref name="build"/>; bad bytes or keys become
    /// <see cref="InvalidKeyMaterialException"/> naming <paramref name="what"/>.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> bytes, string what, Func<SignedPreKeyRecordStructure, T> build)
    {
        var copy = bytes.ToArray();
        return InvalidKeyMaterialException.Wrap(what, () => build(SignedPreKeyRecordStructure.Parser.ParseFrom(copy)));
    }
}
