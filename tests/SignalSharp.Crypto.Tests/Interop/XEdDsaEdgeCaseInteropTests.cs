using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SignalSharp.Crypto.Interop;
using SignalSharp.Interop.Testing;
using static SignalSharp.Crypto.Tests.Interop.Oracle;

namespace SignalSharp.Crypto.Tests.Interop;

/// <summary>
/// Signatures no honest signer makes, where libsignal's verification equation (curve25519-dalek) is easy to get
/// subtly different from: an unreduced s, and a public key with a torsion component. C# must decide as node does.
/// </summary>
public sealed class XEdDsaEdgeCaseInteropTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    [Fact]
    public async Task Unreduced_s_below_2_253_is_accepted_by_both()
    {
        var oracle = await fixture.GetAsync();
        var accepted = 0;
        for (var attempt = 0; attempt < 20 && accepted < 3; attempt++)
        {
            var pair = ECKeyPair.Generate();
            var message = Random(33);
            var signature = pair.PrivateKey.CalculateSignature(message);
            var s = signature.AsSpan(32).ToArray();
            var signBit = s[31] & 0x80;
            s[31] &= 0x7F;
            var bigger = EdwardsMath.ToInteger(s) + EdwardsMath.L;
            if (bigger >= System.Numerics.BigInteger.Pow(2, 253))
            {
                continue;
            }

            var malleated = (byte[])signature.Clone();
            EdwardsMath.ToBytes32(bigger).CopyTo(malleated, 32);
            malleated[63] |= (byte)signBit;
            Assert.True(await NodeVerify(oracle, pair.PublicKey, message, malleated));
            Assert.True(pair.PublicKey.VerifySignature(message, malleated));
            accepted++;
        }

        Assert.Equal(3, accepted);
    }

    [Fact]
    public async Task A_public_key_with_a_torsion_component_verifies_exactly_as_in_libsignal()
    {
        // A' = a·B + T with T of order 8. With R = r·B and s = r + h·a, s·B − h·A' = R − h·T, which equals R
        // exactly when h ≡ 0 (mod 8). Both implementations must accept those and reject the others.
        var oracle = await fixture.GetAsync();
        Libsodium.EnsureInitialized();
        var a = new byte[32];
        var wide = RandomNumberGenerator.GetBytes(64);
        Libsodium.crypto_core_ed25519_scalar_reduce(a, wide);
        var publicEd = new byte[32];
        Libsodium.crypto_scalarmult_ed25519_base_noclamp(publicEd, a);
        var mixed = new byte[32];
        Assert.Equal(0, Libsodium.crypto_core_ed25519_add(mixed, publicEd, EdwardsMath.Order8Point));
        var publicKey = ECPublicKey.FromPublicKeyBytes(EdwardsMath.ToMontgomery(mixed));
        Assert.False(publicKey.IsCanonical());

        int accepted = 0, rejected = 0;
        for (var attempt = 0; attempt < 200 && (accepted < 2 || rejected < 2); attempt++)
        {
            var message = Random(20);
            var r = new byte[32];
            Libsodium.crypto_core_ed25519_scalar_reduce(r, RandomNumberGenerator.GetBytes(64));
            var capitalR = new byte[32];
            Libsodium.crypto_scalarmult_ed25519_base_noclamp(capitalR, r);
            var digest = SHA512.HashData([.. capitalR, .. mixed, .. message]);
            var h = new byte[32];
            Libsodium.crypto_core_ed25519_scalar_reduce(h, digest);
            var s = new byte[32];
            Libsodium.crypto_core_ed25519_scalar_mul(s, h, a);
            Libsodium.crypto_core_ed25519_scalar_add(s, s, r);
            byte[] signature = [.. capitalR, .. s];
            signature[63] = (byte)((signature[63] & 0x7F) | (mixed[31] & 0x80));

            var expected = (h[0] & 7) == 0;
            if ((expected && accepted >= 2) || (!expected && rejected >= 2))
            {
                continue;
            }

            Assert.Equal(expected, await NodeVerify(oracle, publicKey, message, signature));
            Assert.Equal(expected, publicKey.VerifySignature(message, signature));
            _ = expected ? accepted++ : rejected++;
        }

        Assert.Equal((2, 2), (accepted, rejected));
    }

    private static async Task<bool> NodeVerify(NodeOracle oracle, ECPublicKey key, byte[] message, byte[] signature) =>
        (await oracle.CallAsync("crypto.verify", new JsonObject { ["publicKey"] = B64(key.Serialize()), ["message"] = B64(message), ["signature"] = B64(signature) }))!.GetValue<bool>();
}
