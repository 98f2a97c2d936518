using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;
using static SignalSharp.Crypto.Tests.Interop.Oracle;

namespace SignalSharp.Crypto.Tests.Interop;

/// <summary>
/// Kyber1024 (0x08) against libsignal. Node exposes no encapsulate/decapsulate, so decapsulation is proven
/// white-box: node runs PQXDH as the initiator against a bundle built from C# keys, and C# (as the responder)
/// recomputes the key agreement from node's Kyber ciphertext and must land on the chain keys in node's session.
/// </summary>
public sealed class KyberInteropTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    [Fact]
    public async Task Node_and_CSharp_accept_each_others_kem_keys()
    {
        var oracle = await fixture.GetAsync();
        var mine = KemKeyPair.Generate();
        var roundTrip = await oracle.CallAsync("crypto.kemRoundTrip", new JsonObject
        {
            ["publicKey"] = B64(mine.PublicKey.Serialize()), ["secretKey"] = B64(mine.SecretKey.Serialize()),
        });
        Assert.Equal(mine.PublicKey.Serialize(), Bytes(roundTrip!["publicKey"]));
        Assert.Equal(mine.SecretKey.Serialize(), Bytes(roundTrip["secretKey"]));

        var theirs = await oracle.CallAsync("crypto.kemGenerate");
        var publicKey = KemPublicKey.Deserialize(Bytes(theirs!["publicKey"]));
        var secretKey = KemSecretKey.Deserialize(Bytes(theirs["secretKey"]));
        Assert.Equal(1569, publicKey.Serialize().Length);
        Assert.Equal(3169, secretKey.Serialize().Length);

        // Encapsulating to a libsignal-generated key, then decapsulating with its libsignal secret key.
        var encapsulation = publicKey.Encapsulate();
        Assert.Equal(encapsulation.SharedSecret, secretKey.Decapsulate(encapsulation.Ciphertext));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Node_pqxdh_to_a_CSharp_bundle_derives_the_keys_CSharp_derives_as_responder(bool withOneTimePreKey)
    {
        var oracle = await fixture.GetAsync();
        var identity = ECKeyPair.Generate();
        var signedPreKey = ECKeyPair.Generate();
        var oneTimePreKey = ECKeyPair.Generate();
        var kyber = KemKeyPair.Generate();
        var bundle = new JsonObject
        {
            ["registrationId"] = 1234, ["deviceId"] = 2,
            ["signedPreKeyId"] = 22, ["signedPreKey"] = B64(signedPreKey.PublicKey.Serialize()),
            ["signedPreKeySignature"] = B64(identity.PrivateKey.CalculateSignature(signedPreKey.PublicKey.Serialize())),
            ["identityKey"] = B64(identity.PublicKey.Serialize()),
            ["kyberPreKeyId"] = 13, ["kyberPreKey"] = B64(kyber.PublicKey.Serialize()),
            ["kyberPreKeySignature"] = B64(identity.PrivateKey.CalculateSignature(kyber.PublicKey.Serialize())),
        };
        if (withOneTimePreKey)
        {
            bundle["preKeyId"] = 31;
            bundle["preKey"] = B64(oneTimePreKey.PublicKey.Serialize());
        }

        var alice = await oracle.CallAsync("crypto.pqxdhInitiate", bundle);
        var aliceIdentity = ECPublicKey.Deserialize(Bytes(alice!["aliceIdentityKey"]));
        var baseKey = ECPublicKey.Deserialize(Bytes(alice["baseKey"]));
        var ciphertext = Bytes(alice["kyberCiphertext"]);
        Assert.Equal(1569, ciphertext.Length);
        Assert.True(baseKey.IsCanonical());

        var secrets = new List<byte>(Enumerable.Repeat((byte)0xFF, 32));
        secrets.AddRange(signedPreKey.PrivateKey.CalculateAgreement(aliceIdentity));
        secrets.AddRange(identity.PrivateKey.CalculateAgreement(baseKey));
        secrets.AddRange(signedPreKey.PrivateKey.CalculateAgreement(baseKey));
        if (withOneTimePreKey)
        {
            secrets.AddRange(oneTimePreKey.PrivateKey.CalculateAgreement(baseKey));
        }

        var dhPart = secrets.ToArray();
        var okm = Hkdf.DeriveSecrets([.. dhPart, .. kyber.SecretKey.Decapsulate(ciphertext)], [], "WhisperText_X25519_SHA-256_CRYSTALS-KYBER-1024"u8, 96);

        // Negative control: plain ML-KEM-1024 (without the round-3 KDF) does not reproduce libsignal's keys.
        var mlKem = new Org.BouncyCastle.Crypto.Kems.MLKemDecapsulator(Org.BouncyCastle.Crypto.Parameters.MLKemParameters.ml_kem_1024);
        mlKem.Init(Org.BouncyCastle.Crypto.Parameters.MLKemPrivateKeyParameters.FromEncoding(
            Org.BouncyCastle.Crypto.Parameters.MLKemParameters.ml_kem_1024, kyber.SecretKey.Serialize()[1..]));
        var raw = new byte[32];
        mlKem.Decapsulate(ciphertext.AsSpan(1), raw);
        var wrong = Hkdf.DeriveSecrets([.. dhPart, .. raw], [], "WhisperText_X25519_SHA-256_CRYSTALS-KYBER-1024"u8, 96);
        Assert.NotEqual(wrong[32..64], Bytes(alice["receiverChainKey"]));

        // Alice's receiver chain for Bob's signed prekey starts from the PQXDH chain key.
        Assert.Equal(signedPreKey.PublicKey.Serialize(), Bytes(alice["receiverRatchetKey"]));
        Assert.Equal(okm[32..64], Bytes(alice["receiverChainKey"]));

        // Her first ratchet step: HKDF(salt = RK, DH(SPK_B, R_A), "WhisperRatchet") gives her root and sender chain keys.
        var ratchetKey = ECPublicKey.Deserialize(Bytes(alice["senderRatchetKey"]));
        var step = Hkdf.DeriveSecrets(signedPreKey.PrivateKey.CalculateAgreement(ratchetKey), okm[..32], "WhisperRatchet"u8, 64);
        Assert.Equal(step[..32], Bytes(alice["rootKey"]));
        Assert.Equal(step[32..], Bytes(alice["senderChainKey"]));
    }
}
