using CsCheck;

namespace SignalSharp.Crypto.Tests;

public sealed class SymmetricTests
{
    private static readonly Gen<byte[]> Key = Gen.Byte.Array[32];
    private static readonly Gen<byte[]> Data = Gen.Byte.Array[0, 200];

    [Fact]
    public void Cbc_round_trips_and_rejects_bad_padding() =>
        Gen.Select(Key, Gen.Byte.Array[16], Data).Sample((key, iv, plaintext) =>
        {
            var ciphertext = Aes256Cbc.Encrypt(key, iv, plaintext);
            Assert.Equal((plaintext.Length / 16 + 1) * 16, ciphertext.Length);
            Assert.Equal(plaintext, Aes256Cbc.Decrypt(key, iv, ciphertext));
        }, iter: 50);

    [Fact]
    public void Cbc_with_wrong_key_or_length_is_a_typed_error()
    {
        var key = new byte[32];
        var iv = new byte[16];
        var ciphertext = Aes256Cbc.Encrypt(key, iv, "0123456789"u8);
        var wrongKey = Enumerable.Repeat((byte)9, 32).ToArray();

        // A wrong key yields valid padding with probability ~1/256; try a few keys so the test cannot flake.
        var failures = Enumerable.Range(1, 8).Count(k =>
        {
            wrongKey[0] = (byte)k;
            try
            {
                Aes256Cbc.Decrypt(wrongKey, iv, ciphertext);
                return false;
            }
            catch (DecryptionFailedException)
            {
                return true;
            }
        });
        Assert.True(failures >= 6);
        Assert.Throws<DecryptionFailedException>(() => Aes256Cbc.Decrypt(key, iv, ciphertext[..15]));
        Assert.Throws<DecryptionFailedException>(() => Aes256Cbc.Decrypt(key, iv, []));
    }

    [Fact]
    public void Ctr_is_its_own_inverse_and_works_in_place() =>
        Gen.Select(Key, Gen.Byte.Array[12], Gen.Byte.Array[0, 3000]).Sample((key, nonce, plaintext) =>
        {
            var ciphertext = Aes256Ctr32.Process(key, nonce, plaintext);
            Assert.Equal(plaintext, Aes256Ctr32.Process(key, nonce, ciphertext));
            var buffer = (byte[])plaintext.Clone();
            Aes256Ctr32.Process(key, nonce, buffer, buffer);
            Assert.Equal(ciphertext, buffer);
        }, iter: 30);

    [Fact]
    public void Gcm_and_GcmSiv_round_trip_and_reject_tampering() =>
        Gen.Select(Key, Gen.Byte.Array[12], Data, Gen.Byte.Array[0, 40]).Sample((key, nonce, plaintext, aad) =>
        {
            foreach (var (encrypt, decrypt) in new (Func<byte[], byte[], byte[], byte[], byte[]>, Func<byte[], byte[], byte[], byte[], byte[]>)[]
                     {
                         ((k, n, p, a) => Aes256Gcm.Encrypt(k, n, p, a), (k, n, c, a) => Aes256Gcm.Decrypt(k, n, c, a)),
                         ((k, n, p, a) => Aes256GcmSiv.Encrypt(k, n, p, a), (k, n, c, a) => Aes256GcmSiv.Decrypt(k, n, c, a)),
                     })
            {
                var sealedBytes = encrypt(key, nonce, plaintext, aad);
                Assert.Equal(plaintext.Length + 16, sealedBytes.Length);
                Assert.Equal(plaintext, decrypt(key, nonce, sealedBytes, aad));
                var tampered = (byte[])sealedBytes.Clone();
                tampered[sealedBytes.Length / 2] ^= 1;
                Assert.Throws<DecryptionFailedException>(() => decrypt(key, nonce, tampered, aad));
                Assert.Throws<DecryptionFailedException>(() => decrypt(key, nonce, sealedBytes, [.. aad, 0]));
            }
        }, iter: 30);

    [Fact]
    public void Hmac_verify_accepts_truncations_and_rejects_changes()
    {
        var key = new byte[32];
        var data = "message"u8.ToArray();
        var mac = HmacSha256Util.Compute(key, data);
        Assert.True(HmacSha256Util.Verify(key, data, mac));
        Assert.True(HmacSha256Util.Verify(key, data, mac[..8]));
        mac[3] ^= 1;
        Assert.False(HmacSha256Util.Verify(key, data, mac[..8]));
        Assert.False(HmacSha256Util.Verify(key, data, []));
    }

    [Fact]
    public void ConstantTime_equals_compares_contents_not_references()
    {
        byte[] a = [1, 2, 3];
        byte[] b = [1, 2, 3];
        Assert.True(ConstantTime.Equals(a, b));
        Assert.False(ConstantTime.Equals(a, [1, 2, 4]));
        Assert.False(ConstantTime.Equals(a, [1, 2]));
        Assert.True(ConstantTime.IsZero(new byte[5]));
        Assert.False(ConstantTime.IsZero(a));
    }
}
