using System.Buffers.Binary;
using SignalSharp.Crypto;
using SignalSharp.ZkGroup.Internal;

namespace SignalSharp.ZkGroup.Groups;

/// <summary>
/// Encrypts and decrypts what a group keeps on the group server: member service ids, member profile keys, and
/// blobs (title, description, timer, ...). Deterministic where libsignal is, so ciphertexts match it byte for byte.
/// </summary>
public sealed class ClientZkGroupCipher(GroupSecretParams secretParams)
{
    private const string BlobNonceLabel = "Signal_ZKGroup_20200424_Random_GroupSecretParams_EncryptBlob";

    /// <summary>E_A1 = a1·M1, E_A2 = a2·E_A1 + M2; no randomness, so equal inputs give equal ciphertexts.</summary>
    public UuidCiphertext EncryptServiceId(ZkServiceId serviceId)
    {
        var uid = UidStruct.From(serviceId);
        return EncryptUid(uid);
    }

    internal UuidCiphertext EncryptUid(UidStruct uid)
    {
        var e1 = secretParams.A1 * uid.M1;
        var e2 = (secretParams.A2 * e1) + uid.M2;
        return new UuidCiphertext(e1, e2);
    }

    public ZkServiceId DecryptServiceId(UuidCiphertext ciphertext)
    {
        // libsignal refuses E_A1 = B; keep the same rule so both sides reject the same inputs.
        if (ciphertext.E1 == RistrettoPoint.BasePoint)
        {
            throw new ZkGroupVerificationException(nameof(UuidCiphertext));
        }

        var m2 = ciphertext.E2 - (secretParams.A2 * ciphertext.E1);
        var uuid = Lizard.Decode(m2) ?? throw new ZkGroupVerificationException(nameof(UuidCiphertext));
        var m1 = secretParams.A1Inverse * ciphertext.E1;
        foreach (var kind in new[] { ZkServiceIdKind.Aci, ZkServiceIdKind.Pni })
        {
            var candidate = new ZkServiceId(kind, uuid);
            if (UidStruct.CalcM1(candidate) == m1)
            {
                return candidate;
            }
        }

        throw new ZkGroupVerificationException(nameof(UuidCiphertext));
    }

    /// <summary>E_B1 = b1·M3, E_B2 = b2·E_B1 + M4, with M3 bound to the owner's ACI.</summary>
    public ProfileKeyCiphertext EncryptProfileKey(ReadOnlySpan<byte> profileKey, ZkServiceId aci)
    {
        RequireProfileKey(profileKey);
        RequireAci(aci);
        var pk = new ProfileKeyStruct(profileKey, aci.Uuid);
        var e1 = secretParams.B1 * pk.M3;
        var e2 = (secretParams.B2 * e1) + pk.M4;
        return new ProfileKeyCiphertext(e1, e2);
    }

    /// <summary>
    /// Recovers the profile key: M4's positive Elligator preimages give the key up to the three bits encoding cleared,
    /// and exactly one of the 8 × 8 completions must reproduce the ACI-bound M3.
    /// </summary>
    public byte[] DecryptProfileKey(ProfileKeyCiphertext ciphertext, ZkServiceId aci)
    {
        RequireAci(aci);
        if (ciphertext.E1 == RistrettoPoint.BasePoint)
        {
            throw new ZkGroupVerificationException(nameof(ProfileKeyCiphertext));
        }

        var m4 = ciphertext.E2 - (secretParams.B2 * ciphertext.E1);
        var targetM3 = secretParams.B1Inverse * ciphertext.E1;
        var candidates = Elligator.InverseCandidates(m4);
        // Every defined candidate with each of the eight settings of the three cleared bits; their M3 together.
        var keys = new List<byte[]>();
        for (var i = 0; i < 8; i++)
        {
            if (candidates[i] is not { } candidate)
            {
                continue;
            }

            for (var j = 0; j < 8; j++)
            {
                var pk = (byte[])candidate.Clone();
                if ((j & 4) != 0)
                {
                    pk[0] |= 0x01;
                }

                if ((j & 2) != 0)
                {
                    pk[31] |= 0x80;
                }

                if ((j & 1) != 0)
                {
                    pk[31] |= 0x40;
                }

                keys.Add(pk);
            }
        }

        var m3s = ProfileKeyStruct.CalcM3Many(keys, aci.Uuid);
        byte[]? found = null;
        var hits = 0;
        for (var k = 0; k < keys.Count; k++)
        {
            if (m3s[k] == targetM3)
            {
                found = keys[k];
                hits++;
            }
        }

        return hits == 1 ? found! : throw new ZkGroupVerificationException(nameof(ProfileKeyCiphertext));
    }

    /// <summary>Encrypts a blob with fresh randomness.</summary>
    public byte[] EncryptBlob(ReadOnlySpan<byte> plaintext) =>
        EncryptBlobWithRandom(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), plaintext);

    /// <summary>
    /// AES-256-GCM-SIV under the blob key of u32BE(0) ‖ plaintext (the padding prefix every client writes, with no
    /// padding), nonce squeezed from the randomness: ct ‖ tag ‖ nonce ‖ 0x00.
    /// </summary>
    public byte[] EncryptBlobWithRandom(ReadOnlySpan<byte> random32, ReadOnlySpan<byte> plaintext)
    {
        if (random32.Length != 32)
        {
            throw new ArgumentException("randomness is 32 bytes", nameof(random32));
        }

        var nonce = ShoHmacSha256.Create(BlobNonceLabel, random32).Squeeze(Aes256GcmSiv.NonceLength);
        var padded = new byte[4 + plaintext.Length];
        plaintext.CopyTo(padded.AsSpan(4));
        var sealedBytes = Aes256GcmSiv.Encrypt(secretParams.BlobKey, nonce, padded, []);
        return [.. sealedBytes, .. nonce, 0x00];
    }

    /// <summary>Opens a blob and strips its u32BE padding length and that many trailing padding bytes.</summary>
    public byte[] DecryptBlob(ReadOnlySpan<byte> blob)
    {
        const string what = "group blob";
        if (blob.Length < Aes256GcmSiv.TagLength + Aes256GcmSiv.NonceLength + 1)
        {
            throw new ZkGroupVerificationException(what);
        }

        // The trailing reserved byte is not checked, as in libsignal.
        var body = blob[..^1];
        var nonce = body[^Aes256GcmSiv.NonceLength..];
        var sealedBytes = body[..^Aes256GcmSiv.NonceLength];
        byte[] padded;
        try
        {
            padded = Aes256GcmSiv.Decrypt(secretParams.BlobKey, nonce, sealedBytes, []);
        }
        catch (DecryptionFailedException e)
        {
            throw new ZkGroupVerificationException(what, e);
        }

        if (padded.Length < 4)
        {
            throw new ZkGroupVerificationException(what);
        }

        var padLength = BinaryPrimitives.ReadUInt32BigEndian(padded);
        if (padLength > (uint)(padded.Length - 4))
        {
            throw new ZkGroupVerificationException(what);
        }

        return padded[4..^(int)padLength];
    }

    private static void RequireProfileKey(ReadOnlySpan<byte> profileKey)
    {
        if (profileKey.Length != 32)
        {
            throw new ArgumentException("a profile key is 32 bytes", nameof(profileKey));
        }
    }

    private static void RequireAci(ZkServiceId aci)
    {
        if (aci.Kind != ZkServiceIdKind.Aci)
        {
            throw new ArgumentException("profile keys belong to ACIs", nameof(aci));
        }
    }
}
