namespace SignalSharp.Crypto.Tests;

public sealed class KyberTests
{
    [Fact]
    public void Keys_and_ciphertexts_have_libsignal_sizes_and_type_bytes()
    {
        var pair = KemKeyPair.Generate();
        var publicKey = pair.PublicKey.Serialize();
        var secretKey = pair.SecretKey.Serialize();
        Assert.Equal(1569, publicKey.Length);
        Assert.Equal(3169, secretKey.Length);
        Assert.Equal(0x08, publicKey[0]);
        Assert.Equal(0x08, secretKey[0]);

        var encapsulation = pair.PublicKey.Encapsulate();
        Assert.Equal(32, encapsulation.SharedSecret.Length);
        Assert.Equal(1569, encapsulation.Ciphertext.Length);
        Assert.Equal(0x08, encapsulation.Ciphertext[0]);
    }

    [Fact]
    public void Decapsulation_recovers_the_encapsulated_secret_after_serialization()
    {
        var pair = KemKeyPair.Generate();
        var publicKey = KemPublicKey.Deserialize(pair.PublicKey.Serialize());
        var secretKey = KemSecretKey.Deserialize(pair.SecretKey.Serialize());
        for (var i = 0; i < 3; i++)
        {
            var encapsulation = publicKey.Encapsulate();
            Assert.Equal(encapsulation.SharedSecret, secretKey.Decapsulate(encapsulation.Ciphertext));
        }
    }

    [Fact]
    public void A_corrupted_ciphertext_gives_a_different_secret_not_an_error()
    {
        var pair = KemKeyPair.Generate();
        var encapsulation = pair.PublicKey.Encapsulate();
        var corrupted = (byte[])encapsulation.Ciphertext.Clone();
        corrupted[100] ^= 1;
        Assert.NotEqual(encapsulation.SharedSecret, pair.SecretKey.Decapsulate(corrupted));
    }

    [Fact]
    public void Wrong_types_and_lengths_are_invalid_keys()
    {
        var publicKey = KemKeyPair.Generate().PublicKey.Serialize();
        publicKey[0] = 0x0A;
        Assert.Throws<InvalidKeyException>(() => KemPublicKey.Deserialize(publicKey));
        Assert.Throws<InvalidKeyException>(() => KemPublicKey.Deserialize(publicKey.AsSpan(0, 100)));
        Assert.Throws<InvalidKeyException>(() => KemSecretKey.Deserialize([0x08, 1, 2]));
        Assert.Throws<InvalidKeyException>(() => KemKeyPair.Generate().SecretKey.Decapsulate(new byte[1569]));
        Assert.Throws<InvalidKeyException>(() => KemKeyPair.Generate().SecretKey.Decapsulate([0x08, 1]));
    }
}
