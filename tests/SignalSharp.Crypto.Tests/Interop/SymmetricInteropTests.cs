using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;
using static SignalSharp.Crypto.Tests.Interop.Oracle;

namespace SignalSharp.Crypto.Tests.Interop;

/// <summary>HKDF and GCM-SIV against libsignal; CTR, CBC, GCM and HMAC against node's crypto module.</summary>
public sealed class SymmetricInteropTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    [Fact]
    public async Task Hkdf_matches_libsignal()
    {
        var oracle = await fixture.GetAsync();
        foreach (var (saltLength, length) in new[] { (0, 32), (32, 64), (13, 96), (80, 200) })
        {
            var ikm = Random(40);
            var info = Random(9);
            var salt = Random(saltLength);
            var expected = await oracle.CallBytesAsync("crypto.hkdf", new JsonObject
            {
                ["length"] = length, ["ikm"] = B64(ikm), ["info"] = B64(info), ["salt"] = saltLength == 0 ? null : B64(salt),
            });
            Assert.Equal(expected, Hkdf.DeriveSecrets(ikm, salt, info, length));
        }
    }

    [Fact]
    public async Task GcmSiv_matches_libsignal_both_ways_and_both_reject_tampering()
    {
        var oracle = await fixture.GetAsync();
        foreach (var size in new[] { 0, 1, 16, 33, 500 })
        {
            var key = Random(32);
            var nonce = Random(12);
            var aad = Random(size % 7);
            var plaintext = Random(size);
            var args = new JsonObject { ["key"] = B64(key), ["nonce"] = B64(nonce), ["aad"] = B64(aad), ["data"] = B64(plaintext) };
            var theirs = await oracle.CallBytesAsync("crypto.gcmSivEncrypt", args);
            var ours = Aes256GcmSiv.Encrypt(key, nonce, plaintext, aad);
            Assert.Equal(theirs, ours);

            var back = await oracle.CallBytesAsync("crypto.gcmSivDecrypt", new JsonObject { ["key"] = B64(key), ["nonce"] = B64(nonce), ["aad"] = B64(aad), ["data"] = B64(ours) });
            Assert.Equal(plaintext, back);

            ours[^1] ^= 1;
            await Assert.ThrowsAsync<OracleException>(() => oracle.CallAsync("crypto.gcmSivDecrypt", new JsonObject { ["key"] = B64(key), ["nonce"] = B64(nonce), ["aad"] = B64(aad), ["data"] = B64(ours) }));
            Assert.Throws<DecryptionFailedException>(() => Aes256GcmSiv.Decrypt(key, nonce, ours, aad));
        }
    }

    [Theory]
    [InlineData(0u, 0)]
    [InlineData(0u, 1000)]
    [InlineData(0xFFFFFFFEu, 70)] // wraps the 32-bit counter after two blocks
    [InlineData(12345u, 33)]
    public async Task Ctr32_matches_an_independent_node_implementation(uint counter, int size)
    {
        var oracle = await fixture.GetAsync();
        var key = Random(32);
        var nonce = Random(12);
        var data = Random(size);
        var expected = await oracle.CallBytesAsync("crypto.aesCtr32", new JsonObject { ["key"] = B64(key), ["nonce"] = B64(nonce), ["counter"] = counter, ["data"] = B64(data) });
        var output = new byte[size];
        Aes256Ctr32.Process(key, nonce, counter, data, output);
        Assert.Equal(expected, output);
    }

    [Fact]
    public async Task Cbc_gcm_and_hmac_match_node_crypto()
    {
        var oracle = await fixture.GetAsync();
        foreach (var size in new[] { 0, 15, 16, 100 })
        {
            var key = Random(32);
            var iv = Random(16);
            var nonce = Random(12);
            var aad = Random(5);
            var data = Random(size);
            Assert.Equal(
                await oracle.CallBytesAsync("crypto.aesCbcEncrypt", new JsonObject { ["key"] = B64(key), ["iv"] = B64(iv), ["data"] = B64(data) }),
                Aes256Cbc.Encrypt(key, iv, data));
            Assert.Equal(
                await oracle.CallBytesAsync("crypto.aesGcmEncrypt", new JsonObject { ["key"] = B64(key), ["nonce"] = B64(nonce), ["aad"] = B64(aad), ["data"] = B64(data) }),
                Aes256Gcm.Encrypt(key, nonce, data, aad));
            Assert.Equal(
                await oracle.CallBytesAsync("crypto.hmacSha256", new JsonObject { ["key"] = B64(key), ["data"] = B64(data) }),
                HmacSha256Util.Compute(key, data));
        }
    }
}
