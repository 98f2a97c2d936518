using CsCheck;
using SignalSharp.Crypto.Interop;

namespace SignalSharp.Crypto.Tests;

public sealed class CurveTests
{
    [Fact]
    public void Public_key_serializes_with_type_byte_and_ignores_trailing_bytes()
    {
        var key = ECKeyPair.Generate().PublicKey;
        var bytes = key.Serialize();
        Assert.Equal(33, bytes.Length);
        Assert.Equal(0x05, bytes[0]);
        Assert.Equal(key, ECPublicKey.Deserialize([.. bytes, 1, 2, 3]));
        Assert.Equal(bytes[1..], key.PublicKeyBytes.ToArray());
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x05, 1, 2 })]
    [InlineData(new byte[] { 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 })]
    public void Malformed_public_keys_are_invalid(byte[] bytes) =>
        Assert.Throws<InvalidKeyException>(() => ECPublicKey.Deserialize(bytes));

    [Fact]
    public void Private_keys_are_clamped_on_deserialize()
    {
        var raw = Enumerable.Repeat((byte)0xFF, 32).ToArray();
        var serialized = ECPrivateKey.Deserialize(raw).Serialize();
        Assert.Equal(0xF8, serialized[0]);
        Assert.Equal(0x7F, serialized[31]);
        Assert.Throws<InvalidKeyException>(() => ECPrivateKey.Deserialize(new byte[31]));
    }

    [Fact]
    public void Agreement_with_a_low_order_point_is_rejected()
    {
        var key = ECPrivateKey.Generate();
        Assert.Throws<InvalidKeyException>(() => key.CalculateAgreement(ECPublicKey.FromPublicKeyBytes(new byte[32])));
    }

    [Fact]
    public void Comparison_and_equality_follow_serialized_bytes()
    {
        var a = ECPublicKey.FromPublicKeyBytes(Enumerable.Repeat((byte)1, 32).ToArray());
        var b = ECPublicKey.FromPublicKeyBytes(Enumerable.Repeat((byte)2, 32).ToArray());
        Assert.True(a < b);
        Assert.True(a.CompareTo(b) < 0);
        Assert.Equal(a, ECPublicKey.Deserialize(a.Serialize()));
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Sign_then_verify_round_trips_and_tampering_fails() =>
        Gen.Select(Gen.Byte.Array[0, 300], Gen.Int[0, 63]).Sample((message, position) =>
        {
            var pair = ECKeyPair.Generate();
            var signature = pair.PrivateKey.CalculateSignature(message);
            Assert.Equal(64, signature.Length);
            Assert.True(pair.PublicKey.VerifySignature(message, signature));

            var bad = (byte[])signature.Clone();
            bad[position] ^= 0x01;
            Assert.False(pair.PublicKey.VerifySignature(message, bad));
            Assert.False(ECKeyPair.Generate().PublicKey.VerifySignature(message, signature));
            if (message.Length > 0)
            {
                var other = (byte[])message.Clone();
                other[0] ^= 0x80;
                Assert.False(pair.PublicKey.VerifySignature(other, signature));
            }
        }, iter: 40);

    [Fact]
    public void Agreement_is_commutative_for_arbitrary_private_bytes() =>
        Gen.Select(Gen.Byte.Array[32], Gen.Byte.Array[32]).Sample((a, b) =>
        {
            var alice = ECPrivateKey.Deserialize(a);
            var bob = ECPrivateKey.Deserialize(b);
            Assert.Equal(alice.CalculateAgreement(bob.GetPublicKey()), bob.CalculateAgreement(alice.GetPublicKey()));
            Assert.True(alice.GetPublicKey().IsCanonical());
        }, iter: 50);

    [Fact]
    public void Verify_rejects_high_bits_in_s_and_wrong_lengths()
    {
        var pair = ECKeyPair.Generate();
        var message = "hello"u8.ToArray();
        var signature = pair.PrivateKey.CalculateSignature(message);
        var bad = (byte[])signature.Clone();
        bad[63] |= 0x20;
        Assert.False(pair.PublicKey.VerifySignature(message, bad));
        Assert.False(pair.PublicKey.VerifySignature(message, signature[..63]));
        Assert.False(pair.PublicKey.VerifySignature(message, [.. signature, 0]));
    }

    [Fact]
    public void Generated_keys_are_canonical()
    {
        for (var i = 0; i < 20; i++)
        {
            Assert.True(ECKeyPair.Generate().PublicKey.IsCanonical());
        }
    }

    [Fact]
    public void Encodings_at_or_above_p_or_with_the_high_bit_are_not_canonical()
    {
        var key = ECKeyPair.Generate().PublicKey.PublicKeyBytes.ToArray();
        key[31] |= 0x80;
        Assert.False(ECPublicKey.FromPublicKeyBytes(key).IsCanonical());

        var p = Convert.FromHexString("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        Assert.False(ECPublicKey.FromPublicKeyBytes(p).IsCanonical());
        var minusOne = Convert.FromHexString("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        Assert.False(ECPublicKey.FromPublicKeyBytes(minusOne).IsCanonical());
        Assert.False(ECPublicKey.FromPublicKeyBytes(new byte[32]).IsCanonical()); // u = 0 has order 2
    }

    [Fact]
    public void A_key_with_a_torsion_component_is_not_canonical()
    {
        // Edwards A + T, with T of order 8 (libsodium's small-order table; y = 0x26e8…05), mapped back to Montgomery.
        var valid = ECKeyPair.Generate().PublicKey;
        Span<byte> edwards = stackalloc byte[32];
        Assert.True(Curve25519.MontgomeryToEdwards(valid.PublicKeyBytes, 0, edwards));
        var torsion = Convert.FromHexString("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05");
        Libsodium.EnsureInitialized();
        Span<byte> sum = stackalloc byte[32];
        Assert.Equal(0, Libsodium.crypto_core_ed25519_add(sum, edwards, torsion));
        var u = EdwardsMath.ToMontgomery(sum);
        Assert.False(ECPublicKey.FromPublicKeyBytes(u).IsCanonical());
        Assert.True(ECPublicKey.FromPublicKeyBytes(EdwardsMath.ToMontgomery(edwards)).IsCanonical());
    }
}
