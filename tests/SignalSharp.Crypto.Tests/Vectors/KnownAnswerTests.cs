namespace SignalSharp.Crypto.Tests.Vectors;

/// <summary>Published known-answer vectors: RFC 7748, RFC 5869, RFC 8452, NIST SP 800-38A and the GCM spec.</summary>
public sealed class KnownAnswerTests
{
    private static byte[] H(string hex) => Convert.FromHexString(hex);

    [Theory]
    // RFC 7748 §5.2 (the second u has its high bit set, which must be masked)
    [InlineData("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4", "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c", "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552")]
    [InlineData("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d", "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493", "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957")]
    // RFC 7748 §6.1: Alice's private key with Bob's public key
    [InlineData("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742")]
    public void X25519_matches_RFC7748(string scalar, string u, string expected)
    {
        var key = ECPrivateKey.Deserialize(H(scalar));
        Assert.Equal(expected, Convert.ToHexString(key.CalculateAgreement(ECPublicKey.FromPublicKeyBytes(H(u)))).ToLowerInvariant());
    }

    [Fact]
    public void X25519_public_keys_match_RFC7748_section_6_1()
    {
        var alice = ECPrivateKey.Deserialize(H("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        var bob = ECPrivateKey.Deserialize(H("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
        Assert.Equal(H("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"), alice.GetPublicKey().PublicKeyBytes.ToArray());
        Assert.Equal(H("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"), bob.GetPublicKey().PublicKeyBytes.ToArray());
        Assert.Equal(alice.CalculateAgreement(bob.GetPublicKey()), bob.CalculateAgreement(alice.GetPublicKey()));
    }

    [Fact]
    public void X25519_one_iteration_of_RFC7748_loop()
    {
        var k = H("0900000000000000000000000000000000000000000000000000000000000000");
        var result = ECPrivateKey.Deserialize(k).CalculateAgreement(ECPublicKey.FromPublicKeyBytes(k));
        Assert.Equal("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079", Convert.ToHexString(result).ToLowerInvariant());
    }

    [Fact]
    public void Hkdf_matches_RFC5869_case_1()
    {
        var okm = Hkdf.DeriveSecrets(H("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), H("000102030405060708090a0b0c"), H("f0f1f2f3f4f5f6f7f8f9"), 42);
        Assert.Equal(H("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"), okm);
    }

    [Fact]
    public void Hkdf_matches_RFC5869_case_3_empty_salt_and_info()
    {
        var okm = Hkdf.DeriveSecrets(H("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), [], [], 42);
        Assert.Equal(H("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"), okm);
        Assert.Equal(okm, Hkdf.DeriveSecrets(H("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), new byte[32], [], 42));
    }

    private const string NistKey = "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4";
    private const string NistPlain = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51";

    [Fact]
    public void Aes256Cbc_matches_SP800_38A_F_2_5()
    {
        var ciphertext = Aes256Cbc.Encrypt(H(NistKey), H("000102030405060708090a0b0c0d0e0f"), H(NistPlain));
        Assert.Equal(48, ciphertext.Length); // two blocks plus a full PKCS#7 padding block
        Assert.Equal(H("f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"), ciphertext[..32]);
        Assert.Equal(H(NistPlain), Aes256Cbc.Decrypt(H(NistKey), H("000102030405060708090a0b0c0d0e0f"), ciphertext));
    }

    [Fact]
    public void Aes256Ctr32_matches_SP800_38A_F_5_5()
    {
        var output = Aes256Ctr32.Process(H(NistKey), H("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"), H(NistPlain));
        Assert.Equal(H("601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5"), output);
    }

    [Fact]
    public void Aes256Ctr32_counter_wraps_within_32_bits_only()
    {
        var key = new byte[32];
        var nonce = H("00112233445566778899aabbffffffff");
        var twoBlocks = Aes256Ctr32.Process(key, nonce, new byte[32]);
        // The second block's counter is nonce ‖ 00000000, not a carry into the nonce.
        var secondAlone = Aes256Ctr32.Process(key, H("00112233445566778899aabb00000000"), new byte[16]);
        Assert.Equal(secondAlone, twoBlocks[16..]);
    }

    [Theory]
    // GCM spec test cases 13, 14 and 16 (AES-256)
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000", "", "", "530f8afbc74536b9a963b4f1c4cb738b")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000", "00000000000000000000000000000000", "", "cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919")]
    [InlineData("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
        "feedfacedeadbeeffeedfacedeadbeefabaddad2",
        "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f66276fc6ece0f4e1768cddf8853bb2d551b")]
    public void Aes256Gcm_matches_GCM_spec(string key, string nonce, string plaintext, string aad, string expected)
    {
        var sealedBytes = Aes256Gcm.Encrypt(H(key), H(nonce), H(plaintext), H(aad));
        Assert.Equal(H(expected), sealedBytes);
        Assert.Equal(H(plaintext), Aes256Gcm.Decrypt(H(key), H(nonce), sealedBytes, H(aad)));
    }

    [Fact]
    public void Aes256GcmSiv_matches_RFC8452_C_2_empty_message()
    {
        var key = H("0100000000000000000000000000000000000000000000000000000000000000");
        var nonce = H("030000000000000000000000");
        var sealedBytes = Aes256GcmSiv.Encrypt(key, nonce, [], []);
        Assert.Equal(H("07f5f4169bbf55a8400cd47ea6fd400f"), sealedBytes);
        Assert.Empty(Aes256GcmSiv.Decrypt(key, nonce, sealedBytes, []));
    }
}
