using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;
using static SignalSharp.Crypto.Tests.Interop.Oracle;

namespace SignalSharp.Crypto.Tests.Interop;

/// <summary>Curve25519 keys, X25519 and XEdDSA against node libsignal 0.100.0.</summary>
public sealed class CurveInteropTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    [Fact]
    public async Task Node_signatures_verify_in_CSharp_and_tampered_ones_do_not()
    {
        var oracle = await fixture.GetAsync();
        for (var i = 0; i < 10; i++)
        {
            var pair = await oracle.CallAsync("crypto.generateKeyPair");
            var publicKey = ECPublicKey.Deserialize(Bytes(pair!["publicKey"]));
            var message = Random(i * 17);
            var signature = await oracle.CallBytesAsync("crypto.sign", new JsonObject { ["privateKey"] = pair["privateKey"]!.GetValue<string>(), ["message"] = B64(message) });
            Assert.True(publicKey.VerifySignature(message, signature));

            var tampered = (byte[])signature.Clone();
            tampered[i * 6 % 64] ^= 0x04;
            Assert.False(publicKey.VerifySignature(message, tampered));
            Assert.False(publicKey.VerifySignature([.. message, 0], signature));
        }
    }

    [Fact]
    public async Task CSharp_signatures_verify_in_node_and_tampered_ones_do_not()
    {
        var oracle = await fixture.GetAsync();
        for (var i = 0; i < 10; i++)
        {
            var pair = ECKeyPair.Generate();
            var message = Random(1 + (i * 23));
            var signature = pair.PrivateKey.CalculateSignature(message);
            Assert.True(await Verify(oracle, pair.PublicKey, message, signature));

            var tampered = (byte[])signature.Clone();
            tampered[(i * 7) % 64] ^= 0x10;
            Assert.False(await Verify(oracle, pair.PublicKey, message, tampered));

            var flippedSign = (byte[])signature.Clone();
            flippedSign[63] ^= 0x80; // the Edwards sign bit: the wrong sign gives the negated key
            Assert.False(await Verify(oracle, pair.PublicKey, message, flippedSign));
            Assert.False(pair.PublicKey.VerifySignature(message, flippedSign));

            var wrongMessage = (byte[])message.Clone();
            wrongMessage[0] ^= 1;
            Assert.False(await Verify(oracle, pair.PublicKey, wrongMessage, signature));
        }
    }

    [Fact]
    public async Task Both_reject_s_with_high_bits_set()
    {
        var oracle = await fixture.GetAsync();
        var pair = ECKeyPair.Generate();
        var message = Random(40);
        var signature = pair.PrivateKey.CalculateSignature(message);
        foreach (var bit in new[] { 0x20, 0x40 })
        {
            var bad = (byte[])signature.Clone();
            bad[63] |= (byte)bit;
            Assert.False(await Verify(oracle, pair.PublicKey, message, bad));
            Assert.False(pair.PublicKey.VerifySignature(message, bad));
        }
    }

    [Fact]
    public async Task Signing_with_a_node_private_key_verifies_in_node()
    {
        var oracle = await fixture.GetAsync();
        var pair = await oracle.CallAsync("crypto.generateKeyPair");
        var privateKey = ECPrivateKey.Deserialize(Bytes(pair!["privateKey"]));
        Assert.Equal(Bytes(pair["publicKey"]), privateKey.GetPublicKey().Serialize());
        var message = Random(77);
        Assert.True(await Verify(oracle, privateKey.GetPublicKey(), message, privateKey.CalculateSignature(message)));
    }

    [Fact]
    public async Task Agreement_is_equal_both_ways()
    {
        var oracle = await fixture.GetAsync();
        for (var i = 0; i < 5; i++)
        {
            var node = await oracle.CallAsync("crypto.generateKeyPair");
            var mine = ECKeyPair.Generate();
            var nodePublic = ECPublicKey.Deserialize(Bytes(node!["publicKey"]));
            var ours = mine.PrivateKey.CalculateAgreement(nodePublic);
            var theirs = await oracle.CallBytesAsync("crypto.agree", new JsonObject { ["privateKey"] = node["privateKey"]!.GetValue<string>(), ["publicKey"] = B64(mine.PublicKey.Serialize()) });
            Assert.Equal(theirs, ours);
        }
    }

    [Fact]
    public async Task Public_key_derivation_clamping_and_high_bit_u_match_node()
    {
        var oracle = await fixture.GetAsync();
        for (var i = 0; i < 5; i++)
        {
            var raw = Random(32);
            raw[0] |= 7;
            raw[31] |= 0x80;
            var mine = ECPrivateKey.Deserialize(raw);
            Assert.Equal(await oracle.CallBytesAsync("crypto.privateKeyRoundTrip", new JsonObject { ["privateKey"] = B64(raw) }), mine.Serialize());
            Assert.Equal(await oracle.CallBytesAsync("crypto.publicKeyOf", new JsonObject { ["privateKey"] = B64(raw) }), mine.GetPublicKey().Serialize());

            // An arbitrary u with the high bit set: both sides must treat it the same way.
            var u = Random(32);
            u[31] |= 0x80;
            var their = ECPublicKey.FromPublicKeyBytes(u);
            var expected = await oracle.CallBytesAsync("crypto.agree", new JsonObject { ["privateKey"] = B64(raw), ["publicKey"] = B64(their.Serialize()) });
            Assert.Equal(expected, mine.CalculateAgreement(their));
        }
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0100000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")] // order 8
    [InlineData("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")] // p, i.e. 0 again
    public async Task Both_reject_agreement_with_low_order_points(string u)
    {
        var oracle = await fixture.GetAsync();
        var mine = ECKeyPair.Generate();
        var low = ECPublicKey.FromPublicKeyBytes(Convert.FromHexString(u));
        Assert.Throws<InvalidKeyException>(() => mine.PrivateKey.CalculateAgreement(low));
        await Assert.ThrowsAsync<OracleException>(() => oracle.CallAsync("crypto.agree", new JsonObject
        {
            ["privateKey"] = B64(mine.PrivateKey.Serialize()), ["publicKey"] = B64(low.Serialize()),
        }));
    }

    [Fact]
    public async Task Node_accepts_trailing_bytes_like_CSharp()
    {
        var oracle = await fixture.GetAsync();
        var key = ECKeyPair.Generate().PublicKey.Serialize();
        var normalized = await oracle.CallBytesAsync("crypto.deserializePublicKey", new JsonObject { ["publicKey"] = B64([.. key, 9, 9]) });
        Assert.Equal(key, normalized);
        Assert.Equal(key, ECPublicKey.Deserialize([.. key, 9, 9]).Serialize());
    }

    private static async Task<bool> Verify(NodeOracle oracle, ECPublicKey key, byte[] message, byte[] signature)
    {
        var result = await oracle.CallAsync("crypto.verify", new JsonObject { ["publicKey"] = B64(key.Serialize()), ["message"] = B64(message), ["signature"] = B64(signature) });
        return result!.GetValue<bool>();
    }
}
