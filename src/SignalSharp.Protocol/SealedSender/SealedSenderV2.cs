using System.Buffers.Binary;
using SignalSharp.Crypto;

namespace SignalSharp.Protocol.SealedSender;

/// <summary>One recipient of a multi-recipient message: its service id, identity key and devices.</summary>
public sealed record SealedSenderV2Recipient(string ServiceId, ECPublicKey IdentityKey, IReadOnlyList<(uint DeviceId, uint RegistrationId)> Devices);

/// <summary>
/// Sealed sender v2: the content is encrypted once (AES-256-GCM-SIV under a key derived from a random M), and for
/// each recipient only M is wrapped (XOR with a KDF of an ephemeral agreement) plus a 16-byte tag proving the
/// sender's identity. The sender uploads one <c>0x23</c> SentMessage; the server cuts out a <c>0x22</c>
/// ReceivedMessage (<c>C ‖ AT ‖ E ‖ ciphertext</c>) for each recipient.
/// </summary>
internal static class SealedSenderV2
{
    public const byte SentVersion = 0x23;
    public const byte ReceivedVersion = 0x22;
    private static readonly byte[] LabelR = "Sealed Sender v2: r (2023-08)"u8.ToArray();
    private static readonly byte[] LabelK = "Sealed Sender v2: K"u8.ToArray();
    private static readonly byte[] LabelDh = "Sealed Sender v2: DH"u8.ToArray();
    private static readonly byte[] LabelDhSender = "Sealed Sender v2: DH-sender"u8.ToArray();
    private static readonly byte[] ZeroNonce = new byte[12];

    public static byte[] Encrypt(ReadOnlySpan<byte> usmc, IReadOnlyList<SealedSenderV2Recipient> recipients, IReadOnlyList<string> excluded,
        ECPublicKey senderIdentity, ECPrivateKey senderPrivate, ReadOnlySpan<byte> m = default)
    {
        var secret = m.IsEmpty ? System.Security.Cryptography.RandomNumberGenerator.GetBytes(32) : m.ToArray();
        var ephemeral = EphemeralFrom(secret);
        var ephemeralPublic = ephemeral.GetPublicKey();
        var key = Hkdf.DeriveSecrets(secret, [], LabelK, 32);
        var ciphertext = Aes256GcmSiv.Encrypt(key, ZeroNonce, usmc, []);

        using var output = new MemoryStream();
        output.WriteByte(SentVersion);
        WriteVarint(output, (ulong)(recipients.Count + excluded.Count));
        Span<byte> registration = stackalloc byte[2];
        foreach (var recipient in recipients)
        {
            output.Write(ServiceIdFixedWidth.Encode(recipient.ServiceId));
            for (var i = 0; i < recipient.Devices.Count; i++)
            {
                var (deviceId, registrationId) = recipient.Devices[i];
                if (deviceId is < 1 or > 127)
                {
                    throw new InvalidSealedSenderMessageException($"device id {deviceId} out of range");
                }

                if ((registrationId & 0x3FFF) != registrationId)
                {
                    throw new InvalidRegistrationIdException(recipient.ServiceId, deviceId, registrationId);
                }

                output.WriteByte((byte)deviceId);
                BinaryPrimitives.WriteUInt16BigEndian(registration, (ushort)(registrationId | (i + 1 < recipient.Devices.Count ? 0x8000u : 0)));
                output.Write(registration);
            }

            var wrapped = WrapSecret(secret, ephemeral, ephemeralPublic, recipient.IdentityKey);
            output.Write(wrapped);
            output.Write(AuthenticationTag(senderPrivate, senderIdentity, recipient.IdentityKey, ephemeralPublic, wrapped));
        }

        foreach (var serviceId in excluded)
        {
            output.Write(ServiceIdFixedWidth.Encode(serviceId));
            output.WriteByte(0);
        }

        output.Write(ephemeralPublic.PublicKeyBytes);
        output.Write(ciphertext);
        return output.ToArray();
    }

    /// <summary>Opens a 0x22 ReceivedMessage: returns the USMC bytes once the sender's tag checks out.</summary>
    public static byte[] Decrypt(ReadOnlySpan<byte> message, ECPublicKey recipientIdentity, ECPrivateKey recipientPrivate)
    {
        if (message.Length < 1 + 32 + 16 + 32 + 16 || message[0] != ReceivedVersion)
        {
            throw new InvalidSealedSenderMessageException("sealed sender v2 message is too short or of another version");
        }

        var wrapped = message.Slice(1, 32).ToArray();
        var tag = message.Slice(33, 16);
        var ephemeralPublic = ECPublicKey.FromPublicKeyBytes(message.Slice(49, 32));
        var ciphertext = message[81..];
        try
        {
            var shared = recipientPrivate.CalculateAgreement(ephemeralPublic);
            var mask = Hkdf.DeriveSecrets([.. shared, .. ephemeralPublic.Serialize(), .. recipientIdentity.Serialize()], [], LabelDh, 32);
            var secret = Xor(mask, wrapped);
            var ephemeral = EphemeralFrom(secret);
            if (!ConstantTime.Equals(ephemeral.GetPublicKey().Serialize(), ephemeralPublic.Serialize()))
            {
                throw new InvalidSealedSenderMessageException("sealed sender v2 ephemeral key does not match the message secret");
            }

            var key = Hkdf.DeriveSecrets(secret, [], LabelK, 32);
            byte[] usmc;
            try
            {
                usmc = Aes256GcmSiv.Decrypt(key, ZeroNonce, ciphertext, []);
            }
            catch (Exception e) when (e is CryptoException or System.Security.Cryptography.CryptographicException)
            {
                throw new InvalidSealedSenderMessageException("sealed sender v2 content failed to decrypt");
            }

            var content = UnidentifiedSenderMessageContent.Deserialize(usmc);
            var expected = AuthenticationTag(recipientPrivate, recipientIdentity, content.SenderCertificate.Key, ephemeralPublic, wrapped, senderSide: false);
            if (!ConstantTime.Equals(expected, tag))
            {
                throw new InvalidSealedSenderMessageException("sealed sender v2 authentication tag does not match the sender certificate");
            }

            return usmc;
        }
        catch (CryptoException e)
        {
            throw new InvalidSealedSenderMessageException($"sealed sender v2 key agreement failed: {e.Message}");
        }
    }

    private static ECPrivateKey EphemeralFrom(byte[] secret) => ECPrivateKey.Deserialize(Hkdf.DeriveSecrets(secret, [], LabelR, 32));

    private static byte[] WrapSecret(byte[] secret, ECPrivateKey ephemeral, ECPublicKey ephemeralPublic, ECPublicKey recipient)
    {
        var mask = Hkdf.DeriveSecrets([.. ephemeral.CalculateAgreement(recipient), .. ephemeralPublic.Serialize(), .. recipient.Serialize()], [], LabelDh, 32);
        return Xor(mask, secret);
    }

    /// <summary>
    /// <c>HKDF(DH(S, R) ‖ E ‖ C ‖ S ‖ R, "DH-sender", 16)</c>; the sender computes DH(S, R) with its private key, the
    /// recipient computes the same agreement as DH(R, S) with its own.
    /// </summary>
    private static byte[] AuthenticationTag(ECPrivateKey ourPrivate, ECPublicKey ourIdentity, ECPublicKey theirIdentity, ECPublicKey ephemeralPublic,
        byte[] wrapped, bool senderSide = true)
    {
        var (sender, recipient) = senderSide ? (ourIdentity, theirIdentity) : (theirIdentity, ourIdentity);
        var shared = ourPrivate.CalculateAgreement(theirIdentity);
        return Hkdf.DeriveSecrets([.. shared, .. ephemeralPublic.Serialize(), .. wrapped, .. sender.Serialize(), .. recipient.Serialize()], [], LabelDhSender, 16);
    }

    private static byte[] Xor(byte[] a, byte[] b)
    {
        var output = new byte[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            output[i] = (byte)(a[i] ^ b[i]);
        }

        return output;
    }

    private static void WriteVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        output.WriteByte((byte)value);
    }
}
