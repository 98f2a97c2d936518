using System.Text;
using SignalSharp.Crypto;

namespace SignalSharp.Protocol.Ratchet;

/// <summary>
/// The PQXDH handshake secret (session-wire.md §2): 0xFF×32 ‖ DH1 ‖ DH2 ‖ DH3 [‖ DH4] ‖ Kyber shared secret, through
/// HKDF into a root key, the first chain key and the SPQR authentication key. It does not build session state
/// (see <see cref="RatchetInitializer"/>) and does no signature or trust checks (the session builder does).
/// </summary>
internal static class Pqxdh
{
    private static readonly byte[] Info = Encoding.ASCII.GetBytes("WhisperText_X25519_SHA-256_CRYSTALS-KYBER-1024");

    /// <summary>The initiator (Alice) side; returns the keys and the Kyber ciphertext to send.</summary>
    public static (PqxdhKeys Keys, byte[] KyberCiphertext) Initiate(
        IdentityKeyPair ourIdentity,
        ECKeyPair ourBaseKey,
        IdentityKey theirIdentity,
        ECPublicKey theirSignedPreKey,
        ECPublicKey? theirOneTimePreKey,
        KemPublicKey theirKyberPreKey)
    {
        var encapsulation = theirKyberPreKey.Encapsulate();
        var secrets = new byte[32 * (theirOneTimePreKey is null ? 4 : 5) + encapsulation.SharedSecret.Length];
        secrets.AsSpan(0, 32).Fill(0xFF);
        var offset = 32;
        offset = Append(secrets, offset, ourIdentity.PrivateKey.CalculateAgreement(theirSignedPreKey));
        offset = Append(secrets, offset, ourBaseKey.PrivateKey.CalculateAgreement(theirIdentity.PublicKey));
        offset = Append(secrets, offset, ourBaseKey.PrivateKey.CalculateAgreement(theirSignedPreKey));
        if (theirOneTimePreKey is not null)
        {
            offset = Append(secrets, offset, ourBaseKey.PrivateKey.CalculateAgreement(theirOneTimePreKey));
        }

        Append(secrets, offset, encapsulation.SharedSecret);
        return (Derive(secrets), encapsulation.Ciphertext);
    }

    /// <summary>The responder (Bob) side, from his private prekeys and the values in Alice's PreKeySignalMessage.</summary>
    public static PqxdhKeys Accept(
        IdentityKeyPair ourIdentity,
        ECKeyPair ourSignedPreKey,
        ECKeyPair? ourOneTimePreKey,
        KemSecretKey ourKyberPreKey,
        IdentityKey theirIdentity,
        ECPublicKey theirBaseKey,
        ReadOnlySpan<byte> kyberCiphertext)
    {
        var sharedSecret = ourKyberPreKey.Decapsulate(kyberCiphertext);
        var secrets = new byte[32 * (ourOneTimePreKey is null ? 4 : 5) + sharedSecret.Length];
        secrets.AsSpan(0, 32).Fill(0xFF);
        var offset = 32;
        offset = Append(secrets, offset, ourSignedPreKey.PrivateKey.CalculateAgreement(theirIdentity.PublicKey));
        offset = Append(secrets, offset, ourIdentity.PrivateKey.CalculateAgreement(theirBaseKey));
        offset = Append(secrets, offset, ourSignedPreKey.PrivateKey.CalculateAgreement(theirBaseKey));
        if (ourOneTimePreKey is not null)
        {
            offset = Append(secrets, offset, ourOneTimePreKey.PrivateKey.CalculateAgreement(theirBaseKey));
        }

        Append(secrets, offset, sharedSecret);
        return Derive(secrets);
    }

    private static PqxdhKeys Derive(byte[] secrets)
    {
        var okm = Hkdf.DeriveSecrets(secrets, [], Info, 96);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(secrets);
        return new PqxdhKeys(new RootKey(okm[..32]), new ChainKey(okm[32..64], 0), okm[64..96]);
    }

    private static int Append(byte[] destination, int offset, byte[] value)
    {
        value.CopyTo(destination, offset);
        return offset + value.Length;
    }
}

/// <summary>What PQXDH yields: the first root key, the first chain key and the SPQR authentication key.</summary>
internal sealed record PqxdhKeys(RootKey RootKey, ChainKey ChainKey, byte[] SpqrAuthKey);
