using System.Text.Json.Nodes;
using SignalSharp.Crypto;
using SignalSharp.Interop.Testing;
using static SignalSharp.Protocol.Tests.Keys.Oracle;

namespace SignalSharp.Protocol.Tests.Keys;

/// <summary>Identity keys, prekey records and bundles against node libsignal 0.100.0.</summary>
public sealed class KeyInteropTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    [Fact]
    public async Task Identity_key_pairs_serialize_identically_both_ways()
    {
        var oracle = await fixture.GetAsync();
        var mine = IdentityKeyPair.Generate();
        var parsed = await oracle.CallAsync("crypto.identityKeyPairParse", new JsonObject { ["serialized"] = B64(mine.Serialize()) });
        Assert.Equal(mine.Serialize(), Bytes(parsed!["serialized"]));
        Assert.Equal(mine.IdentityKey.Serialize(), Bytes(parsed["publicKey"]));
        Assert.Equal(mine.PrivateKey.Serialize(), Bytes(parsed["privateKey"]));

        var theirs = await oracle.CallAsync("crypto.identityKeyPairGenerate");
        var back = IdentityKeyPair.Deserialize(Bytes(theirs!["serialized"]));
        Assert.Equal(Bytes(theirs["publicKey"]), back.IdentityKey.Serialize());
        Assert.Equal(Bytes(theirs["serialized"]), back.Serialize());
    }

    [Fact]
    public async Task Alternate_identity_signatures_verify_across_implementations()
    {
        var oracle = await fixture.GetAsync();
        var aci = IdentityKeyPair.Generate();
        var pni = IdentityKeyPair.Generate();
        var signature = aci.SignAlternateIdentity(pni.IdentityKey);
        Assert.True(await VerifyAlternate(oracle, aci.IdentityKey, pni.IdentityKey, signature));
        Assert.False(await VerifyAlternate(oracle, pni.IdentityKey, aci.IdentityKey, signature));
        var tampered = (byte[])signature.Clone();
        tampered[5] ^= 1;
        Assert.False(await VerifyAlternate(oracle, aci.IdentityKey, pni.IdentityKey, tampered));

        var nodeSignature = await oracle.CallBytesAsync("crypto.signAlternateIdentity", new JsonObject { ["serialized"] = B64(aci.Serialize()), ["other"] = B64(pni.IdentityKey.Serialize()) });
        Assert.True(aci.IdentityKey.VerifyAlternateIdentity(pni.IdentityKey, nodeSignature));
        Assert.False(pni.IdentityKey.VerifyAlternateIdentity(aci.IdentityKey, nodeSignature));
    }

    [Fact]
    public async Task CSharp_records_parse_in_node_and_reserialize_to_the_same_bytes()
    {
        var oracle = await fixture.GetAsync();
        var identity = IdentityKeyPair.Generate();

        var preKey = PreKeyRecord.Generate(123456);
        var pre = await oracle.CallAsync("crypto.preKeyRecordParse", new JsonObject { ["record"] = B64(preKey.Serialize()) });
        Assert.Equal(123456, pre!["id"]!.GetValue<int>());
        Assert.Equal(preKey.KeyPair.PublicKey.Serialize(), Bytes(pre["publicKey"]));
        Assert.Equal(preKey.Serialize(), Bytes(pre["serialized"]));

        var signed = SignedPreKeyRecord.Generate(identity, 22, 1_700_000_123_456);
        var sp = await oracle.CallAsync("crypto.signedPreKeyRecordParse", new JsonObject { ["record"] = B64(signed.Serialize()) });
        Assert.Equal(22, sp!["id"]!.GetValue<int>());
        Assert.Equal(1_700_000_123_456L, sp["timestamp"]!.GetValue<long>());
        Assert.Equal(signed.Signature, Bytes(sp["signature"]));
        Assert.Equal(signed.KeyPair.PrivateKey.Serialize(), Bytes(sp["privateKey"]));
        Assert.Equal(signed.Serialize(), Bytes(sp["serialized"]));

        var kyber = KyberPreKeyRecord.Generate(identity, 13, 1_700_000_000_000);
        var kp = await oracle.CallAsync("crypto.kyberPreKeyRecordParse", new JsonObject { ["record"] = B64(kyber.Serialize()) });
        Assert.Equal(13, kp!["id"]!.GetValue<int>());
        Assert.Equal(kyber.KeyPair.PublicKey.Serialize(), Bytes(kp["publicKey"]));
        Assert.Equal(kyber.KeyPair.SecretKey.Serialize(), Bytes(kp["secretKey"]));
        Assert.Equal(kyber.Serialize(), Bytes(kp["serialized"]));
    }

    [Fact]
    public async Task Node_records_parse_in_CSharp_and_reserialize_to_the_same_bytes()
    {
        var oracle = await fixture.GetAsync();
        var identity = IdentityKeyPair.Generate();

        var preBytes = await oracle.CallBytesAsync("crypto.preKeyRecordNew", new JsonObject { ["id"] = 9 });
        var pre = PreKeyRecord.Deserialize(preBytes);
        Assert.Equal(9u, pre.Id);
        Assert.Equal(pre.KeyPair.PrivateKey.GetPublicKey(), pre.KeyPair.PublicKey);
        Assert.Equal(preBytes, pre.Serialize());

        var signedBytes = await oracle.CallBytesAsync("crypto.signedPreKeyRecordNew", new JsonObject { ["id"] = 10, ["timestamp"] = 1_650_000_000_000L, ["identity"] = B64(identity.Serialize()) });
        var signed = SignedPreKeyRecord.Deserialize(signedBytes);
        Assert.Equal((10u, 1_650_000_000_000ul), (signed.Id, signed.Timestamp));
        Assert.True(signed.VerifySignature(identity.IdentityKey));
        Assert.Equal(signedBytes, signed.Serialize());

        var kyberBytes = await oracle.CallBytesAsync("crypto.kyberPreKeyRecordNew", new JsonObject { ["id"] = 11, ["timestamp"] = 5, ["identity"] = B64(identity.Serialize()) });
        var kyber = KyberPreKeyRecord.Deserialize(kyberBytes);
        Assert.Equal((11u, 5ul), (kyber.Id, kyber.Timestamp));
        Assert.True(kyber.VerifySignature(identity.IdentityKey));
        Assert.Equal(kyberBytes, kyber.Serialize());
    }

    [Theory]
    [InlineData(true, null)]
    [InlineData(false, null)]
    [InlineData(true, "signed")]
    [InlineData(true, "kyber")]
    public async Task Node_accepts_CSharp_bundles_exactly_when_CSharp_verifies_them(bool withPreKey, string? tamper)
    {
        var oracle = await fixture.GetAsync();
        var identity = IdentityKeyPair.Generate();
        var signed = SignedPreKeyRecord.Generate(identity, 22);
        var kyber = KyberPreKeyRecord.Generate(identity, 13);
        if (tamper == "signed")
        {
            signed = signed with { Signature = Tampered(signed.Signature) };
        }
        else if (tamper == "kyber")
        {
            kyber = kyber with { Signature = Tampered(kyber.Signature) };
        }

        var bundle = PreKeyBundle.FromRecords(KeyHelper.GenerateRegistrationId(), 3, identity.IdentityKey, signed, kyber, withPreKey ? PreKeyRecord.Generate(31) : null);
        var args = new JsonObject
        {
            ["registrationId"] = bundle.RegistrationId, ["deviceId"] = bundle.DeviceId,
            ["preKeyId"] = bundle.PreKeyId, ["preKey"] = bundle.PreKeyPublic is null ? null : B64(bundle.PreKeyPublic.Serialize()),
            ["signedPreKeyId"] = bundle.SignedPreKeyId, ["signedPreKey"] = B64(bundle.SignedPreKeyPublic.Serialize()),
            ["signedPreKeySignature"] = B64(bundle.SignedPreKeySignature),
            ["identityKey"] = B64(bundle.IdentityKey.Serialize()),
            ["kyberPreKeyId"] = bundle.KyberPreKeyId, ["kyberPreKey"] = B64(bundle.KyberPreKeyPublic.Serialize()),
            ["kyberPreKeySignature"] = B64(bundle.KyberPreKeySignature),
        };
        var result = await oracle.CallAsync("crypto.bundleAccepted", args);
        var accepted = result!["accepted"]!.GetValue<bool>();
        Assert.Equal(tamper is null, accepted);
        if (tamper is null)
        {
            bundle.VerifySignatures();
        }
        else
        {
            Assert.Contains("signature", result["error"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
            Assert.Throws<InvalidSignatureException>(bundle.VerifySignatures);
        }
    }

    private static byte[] Tampered(byte[] signature)
    {
        var copy = (byte[])signature.Clone();
        copy[20] ^= 0x01;
        return copy;
    }

    private static async Task<bool> VerifyAlternate(NodeOracle oracle, IdentityKey signer, IdentityKey other, byte[] signature) =>
        (await oracle.CallAsync("crypto.verifyAlternateIdentity", new JsonObject { ["publicKey"] = B64(signer.Serialize()), ["other"] = B64(other.Serialize()), ["signature"] = B64(signature) }))!.GetValue<bool>();
}
