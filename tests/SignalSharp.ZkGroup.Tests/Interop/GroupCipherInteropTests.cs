using System.Security.Cryptography;
using System.Text;
using SignalSharp.Interop.Testing;
using SignalSharp.ZkGroup.Groups;

namespace SignalSharp.ZkGroup.Tests.Interop;

/// <summary>Service-id, profile-key and blob encryption against libsignal's ClientZkGroupCipher, both directions.</summary>
public sealed class GroupCipherInteropTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    private static GroupSecretParams NewGroup() => GroupSecretParams.GenerateWithRandom(RandomNumberGenerator.GetBytes(32));

    [Theory]
    [InlineData(ZkServiceIdKind.Aci)]
    [InlineData(ZkServiceIdKind.Pni)]
    public async Task Service_id_ciphertexts_equal_node_and_decrypt_both_ways(ZkServiceIdKind kind)
    {
        var oracle = await fixture.GetAsync();
        var group = NewGroup();
        var cipher = new ClientZkGroupCipher(group);
        for (var i = 0; i < 4; i++)
        {
            var serviceId = new ZkServiceId(kind, RandomNumberGenerator.GetBytes(16));
            var expected = await oracle.BytesAsync("zkgroup.encryptServiceId", ("secretParams", group.Serialize()), ("serviceId", serviceId.ToBinary()));
            var ours = cipher.EncryptServiceId(serviceId).Serialize();
            Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(ours));

            Assert.Equal(serviceId, cipher.DecryptServiceId(UuidCiphertext.Deserialize(expected)));
            var back = await oracle.BytesAsync("zkgroup.decryptServiceId", ("secretParams", group.Serialize()), ("ciphertext", ours));
            Assert.Equal(serviceId.ToBinary(), back);
        }
    }

    [Fact]
    public async Task A_service_id_ciphertext_from_another_group_does_not_decrypt()
    {
        var oracle = await fixture.GetAsync();
        var serviceId = ZkServiceId.Aci(RandomNumberGenerator.GetBytes(16));
        var foreign = await oracle.BytesAsync("zkgroup.encryptServiceId", ("secretParams", NewGroup().Serialize()), ("serviceId", serviceId.ToBinary()));
        var cipher = new ClientZkGroupCipher(NewGroup());
        Assert.Throws<ZkGroupVerificationException>(() => cipher.DecryptServiceId(UuidCiphertext.Deserialize(foreign)));
    }

    [Fact]
    public async Task Profile_key_ciphertexts_equal_node_and_decrypt_both_ways()
    {
        var oracle = await fixture.GetAsync();
        var group = NewGroup();
        var cipher = new ClientZkGroupCipher(group);
        for (var i = 0; i < 4; i++)
        {
            var aci = ZkServiceId.Aci(RandomNumberGenerator.GetBytes(16));
            var profileKey = RandomNumberGenerator.GetBytes(32);
            if (i == 0)
            {
                // All three bits that M4's encoding clears are set, so decryption must search them back.
                profileKey[0] |= 0x01;
                profileKey[31] |= 0xC0;
            }

            var expected = await oracle.BytesAsync("zkgroup.encryptProfileKey", ("secretParams", group.Serialize()), ("profileKey", profileKey), ("aci", aci.Uuid.ToArray()));
            var ours = cipher.EncryptProfileKey(profileKey, aci).Serialize();
            Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(ours));

            Assert.Equal(profileKey, cipher.DecryptProfileKey(ProfileKeyCiphertext.Deserialize(expected), aci));
            var back = await oracle.BytesAsync("zkgroup.decryptProfileKey", ("secretParams", group.Serialize()), ("ciphertext", ours), ("aci", aci.Uuid.ToArray()));
            Assert.Equal(profileKey, back);
        }
    }

    [Fact]
    public async Task A_profile_key_ciphertext_does_not_decrypt_for_another_aci()
    {
        var oracle = await fixture.GetAsync();
        var group = NewGroup();
        var ct = await oracle.BytesAsync("zkgroup.encryptProfileKey", ("secretParams", group.Serialize()), ("profileKey", RandomNumberGenerator.GetBytes(32)), ("aci", RandomNumberGenerator.GetBytes(16)));
        var cipher = new ClientZkGroupCipher(group);
        Assert.Throws<ZkGroupVerificationException>(() => cipher.DecryptProfileKey(ProfileKeyCiphertext.Deserialize(ct), ZkServiceId.Aci(RandomNumberGenerator.GetBytes(16))));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(37)]
    [InlineData(1000)]
    public async Task Blobs_equal_node_for_the_same_randomness_and_decrypt_both_ways(int length)
    {
        var oracle = await fixture.GetAsync();
        var group = NewGroup();
        var cipher = new ClientZkGroupCipher(group);
        var random = RandomNumberGenerator.GetBytes(32);
        var plaintext = RandomNumberGenerator.GetBytes(length);
        var expected = await oracle.BytesAsync("zkgroup.encryptBlobWithRandom", ("secretParams", group.Serialize()), ("random", random), ("plaintext", plaintext));
        var ours = cipher.EncryptBlobWithRandom(random, plaintext);
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(ours));
        Assert.Equal(plaintext, cipher.DecryptBlob(expected));

        var fresh = cipher.EncryptBlob(plaintext);
        Assert.Equal(plaintext, await oracle.BytesAsync("zkgroup.decryptBlob", ("secretParams", group.Serialize()), ("ciphertext", fresh)));
    }

    [Fact]
    public void Tampered_or_foreign_blobs_are_rejected()
    {
        var cipher = new ClientZkGroupCipher(NewGroup());
        var blob = cipher.EncryptBlob(Encoding.UTF8.GetBytes("Echo group"));
        blob[3] ^= 1;
        Assert.Throws<ZkGroupVerificationException>(() => cipher.DecryptBlob(blob));
        Assert.Throws<ZkGroupVerificationException>(() => new ClientZkGroupCipher(NewGroup()).DecryptBlob(cipher.EncryptBlob([1, 2, 3])));
        Assert.Throws<ZkGroupVerificationException>(() => cipher.DecryptBlob(new byte[10]));
    }
}
