using System.Security.Cryptography;
using Google.Protobuf;
using SignalSharp.Crypto;
using Wire = SignalSharp.Protocol.SealedSender.Proto;

namespace SignalSharp.Protocol.SealedSender;

/// <summary>
/// Sealed sender v1 (<c>0x11 ‖ {1 ephemeral public, 2 encrypted static, 3 encrypted message}</c>): an ephemeral
/// key agreement hides the sender's identity key, and a second agreement with that identity key encrypts the
/// content, so only the holder of the sender's identity could have made it. AES-256-CTR (zero IV) with a
/// 10-byte truncated HMAC-SHA256 over the ciphertext for both parts.
/// </summary>
internal static class SealedSenderV1
{
    public const byte Version = 1;
    private const int MacLength = 10;
    private static readonly byte[] SaltPrefix = "UnidentifiedDelivery"u8.ToArray();

    public static byte[] Encrypt(ReadOnlySpan<byte> usmc, ECPublicKey recipientIdentity, ECPublicKey senderIdentity, ECPrivateKey senderPrivate)
    {
        var ephemeral = ECKeyPair.Generate();
        var ephemeralPublic = ephemeral.PublicKey.Serialize();
        var (chainKey, cipherKey, macKey) = Split(Hkdf.DeriveSecrets(
            ephemeral.PrivateKey.CalculateAgreement(recipientIdentity), [.. SaltPrefix, .. recipientIdentity.Serialize(), .. ephemeralPublic], [], 96));
        var encryptedStatic = Seal(cipherKey, macKey, senderIdentity.Serialize());

        var (_, staticCipherKey, staticMacKey) = Split(Hkdf.DeriveSecrets(
            senderPrivate.CalculateAgreement(recipientIdentity), [.. chainKey, .. encryptedStatic], [], 96));
        var encryptedMessage = Seal(staticCipherKey, staticMacKey, usmc);

        var body = new Wire.UnidentifiedSenderMessageBody
        {
            EphemeralPublic = ByteString.CopyFrom(ephemeralPublic),
            EncryptedStatic = ByteString.CopyFrom(encryptedStatic),
            EncryptedMessage = ByteString.CopyFrom(encryptedMessage),
        };
        var output = new byte[1 + body.CalculateSize()];
        output[0] = (Version << 4) | Version;
        body.WriteTo(output.AsSpan(1));
        return output;
    }

    /// <summary>Opens a v1 envelope; returns the USMC bytes and the sender identity key found inside.</summary>
    public static (byte[] Usmc, ECPublicKey SenderIdentity) Decrypt(ReadOnlySpan<byte> message, ECPublicKey recipientIdentity, ECPrivateKey recipientPrivate)
    {
        Wire.UnidentifiedSenderMessageBody body;
        try
        {
            body = Wire.UnidentifiedSenderMessageBody.Parser.ParseFrom(message[1..]);
        }
        catch (InvalidProtocolBufferException)
        {
            throw new InvalidSealedSenderMessageException("sealed sender v1 message is malformed");
        }

        if (!body.HasEphemeralPublic || !body.HasEncryptedStatic || !body.HasEncryptedMessage)
        {
            throw new InvalidSealedSenderMessageException("sealed sender v1 message lacks a required field");
        }

        try
        {
            var ephemeral = ECPublicKey.Deserialize(body.EphemeralPublic.Span);
            var (chainKey, cipherKey, macKey) = Split(Hkdf.DeriveSecrets(
                recipientPrivate.CalculateAgreement(ephemeral), [.. SaltPrefix, .. recipientIdentity.Serialize(), .. ephemeral.Serialize()], [], 96));
            var encryptedStatic = body.EncryptedStatic.ToByteArray();
            var senderIdentity = ECPublicKey.Deserialize(Open(cipherKey, macKey, encryptedStatic, "static key"));

            var (_, staticCipherKey, staticMacKey) = Split(Hkdf.DeriveSecrets(
                recipientPrivate.CalculateAgreement(senderIdentity), [.. chainKey, .. encryptedStatic], [], 96));
            return (Open(staticCipherKey, staticMacKey, body.EncryptedMessage.Span, "message"), senderIdentity);
        }
        catch (CryptoException e)
        {
            throw new InvalidSealedSenderMessageException($"sealed sender v1 key agreement failed: {e.Message}");
        }
    }

    private static (byte[] ChainKey, byte[] CipherKey, byte[] MacKey) Split(byte[] okm) => (okm[..32], okm[32..64], okm[64..96]);

    private static byte[] Seal(byte[] cipherKey, byte[] macKey, ReadOnlySpan<byte> plaintext)
    {
        var output = new byte[plaintext.Length + MacLength];
        Aes256Ctr32.Process(cipherKey, ZeroNonce, plaintext, output.AsSpan(0, plaintext.Length));
        HMACSHA256.HashData(macKey, output.AsSpan(0, plaintext.Length)).AsSpan(0, MacLength).CopyTo(output.AsSpan(plaintext.Length));
        return output;
    }

    private static byte[] Open(byte[] cipherKey, byte[] macKey, ReadOnlySpan<byte> sealedBytes, string what)
    {
        if (sealedBytes.Length < MacLength)
        {
            throw new InvalidSealedSenderMessageException($"sealed sender v1 {what} too short");
        }

        var ciphertext = sealedBytes[..^MacLength];
        var mac = HMACSHA256.HashData(macKey, ciphertext);
        if (!ConstantTime.Equals(mac.AsSpan(0, MacLength), sealedBytes[^MacLength..]))
        {
            throw new InvalidSealedSenderMessageException($"sealed sender v1 {what} MAC mismatch");
        }

        var plaintext = new byte[ciphertext.Length];
        Aes256Ctr32.Process(cipherKey, ZeroNonce, ciphertext, plaintext);
        return plaintext;
    }

    private static readonly byte[] ZeroNonce = new byte[Aes256Ctr32.NonceLength];
}
