using SignalSharp.Crypto;

namespace SignalSharp.Protocol.Tests.Keys;

public sealed class KeyRecordTests
{
    private static readonly IdentityKeyPair Identity = IdentityKeyPair.Generate();

    [Fact]
    public void Identity_key_pair_round_trips()
    {
        var bytes = Identity.Serialize();
        var back = IdentityKeyPair.Deserialize(bytes);
        Assert.Equal(Identity.IdentityKey, back.IdentityKey);
        Assert.Equal(Identity.PrivateKey.Serialize(), back.PrivateKey.Serialize());
        Assert.Equal(bytes, back.Serialize());
        Assert.Equal(Identity.IdentityKey, IdentityKey.Deserialize(Identity.IdentityKey.Serialize()));
    }

    [Fact]
    public void Alternate_identity_signature_verifies_only_for_that_pair()
    {
        var pni = IdentityKeyPair.Generate();
        var signature = Identity.SignAlternateIdentity(pni.IdentityKey);
        Assert.True(Identity.IdentityKey.VerifyAlternateIdentity(pni.IdentityKey, signature));
        Assert.False(pni.IdentityKey.VerifyAlternateIdentity(Identity.IdentityKey, signature));
        Assert.False(Identity.IdentityKey.VerifyAlternateIdentity(IdentityKeyPair.Generate().IdentityKey, signature));
    }

    [Fact]
    public void Records_round_trip()
    {
        var preKey = PreKeyRecord.Generate(77);
        var preBack = PreKeyRecord.Deserialize(preKey.Serialize());
        Assert.Equal(77u, preBack.Id);
        Assert.Equal(preKey.KeyPair.PublicKey, preBack.KeyPair.PublicKey);

        var signed = SignedPreKeyRecord.Generate(Identity, 5, 1_700_000_000_123);
        var signedBack = SignedPreKeyRecord.Deserialize(signed.Serialize());
        Assert.Equal((5u, 1_700_000_000_123ul), (signedBack.Id, signedBack.Timestamp));
        Assert.Equal(signed.Signature, signedBack.Signature);
        Assert.True(signedBack.VerifySignature(Identity.IdentityKey));
        Assert.False(signedBack.VerifySignature(IdentityKeyPair.Generate().IdentityKey));

        var kyber = KyberPreKeyRecord.Generate(Identity, 9, 42);
        var kyberBack = KyberPreKeyRecord.Deserialize(kyber.Serialize());
        Assert.Equal((9u, 42ul), (kyberBack.Id, kyberBack.Timestamp));
        Assert.Equal(kyber.KeyPair.PublicKey, kyberBack.KeyPair.PublicKey);
        Assert.True(kyberBack.VerifySignature(Identity.IdentityKey));
        var encapsulation = kyberBack.KeyPair.PublicKey.Encapsulate();
        Assert.Equal(encapsulation.SharedSecret, kyberBack.KeyPair.SecretKey.Decapsulate(encapsulation.Ciphertext));
    }

    [Fact]
    public void Malformed_records_throw_a_typed_protocol_error()
    {
        Assert.Throws<InvalidKeyMaterialException>(() => PreKeyRecord.Deserialize([0xFF, 0xFF, 0xFF]));
        Assert.Throws<InvalidKeyMaterialException>(() => SignedPreKeyRecord.Deserialize([]));
        var kyber = KyberPreKeyRecord.Generate(Identity, 1).Serialize();
        Assert.Throws<InvalidKeyMaterialException>(() => KyberPreKeyRecord.Deserialize(kyber[..^10]));
        Assert.Throws<InvalidKeyMaterialException>(() => IdentityKey.Deserialize([0x07, 1, 2]));
    }

    [Fact]
    public void Bundle_signatures_are_checked()
    {
        var signed = SignedPreKeyRecord.Generate(Identity, 1);
        var kyber = KyberPreKeyRecord.Generate(Identity, 2);
        PreKeyBundle.FromRecords(5, 1, Identity.IdentityKey, signed, kyber, PreKeyRecord.Generate(3)).VerifySignatures();

        var badSigned = signed with { Signature = Flip(signed.Signature) };
        Assert.Throws<InvalidSignatureException>(() => PreKeyBundle.FromRecords(5, 1, Identity.IdentityKey, badSigned, kyber).VerifySignatures());
        var badKyber = kyber with { Signature = Flip(kyber.Signature) };
        Assert.Throws<InvalidSignatureException>(() => PreKeyBundle.FromRecords(5, 1, Identity.IdentityKey, signed, badKyber).VerifySignatures());
        var stranger = IdentityKeyPair.Generate().IdentityKey;
        Assert.Throws<InvalidSignatureException>(() => PreKeyBundle.FromRecords(5, 1, stranger, signed, kyber).VerifySignatures());
    }

    [Fact]
    public void Registration_and_prekey_ids_stay_in_range()
    {
        for (var i = 0; i < 200; i++)
        {
            Assert.InRange(KeyHelper.GenerateRegistrationId(), 1u, 16380u);
        }

        var keys = KeyHelper.GeneratePreKeys(0xFFFFFE - 1, 4);
        Assert.Equal(new uint[] { 0xFFFFFD, 0xFFFFFE, 1, 2 }, keys.Select(k => k.Id));
        Assert.Equal(4, keys.Select(k => k.KeyPair.PublicKey).Distinct().Count());
    }

    private static byte[] Flip(byte[] bytes)
    {
        var copy = (byte[])bytes.Clone();
        copy[10] ^= 1;
        return copy;
    }
}
