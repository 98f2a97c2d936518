using System.Security.Cryptography;
using SignalSharp.ZkGroup.Auth;
using SignalSharp.ZkGroup.Groups;
using SignalSharp.ZkGroup.GroupSend;
using SignalSharp.ZkGroup.Profiles;

namespace SignalSharp.ZkGroup.Tests.Groups;

/// <summary>Every parser refuses wrong lengths, version bytes, undecodable points and non-canonical scalars.</summary>
public sealed class DeserializationTests
{
    private static readonly GroupSecretParams Group = GroupSecretParams.GenerateWithRandom(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void Ciphertexts_reject_bad_versions_lengths_and_points()
    {
        var cipher = new ClientZkGroupCipher(Group);
        var uuid = cipher.EncryptServiceId(ZkServiceId.Aci(RandomNumberGenerator.GetBytes(16))).Serialize();
        var pk = cipher.EncryptProfileKey(RandomNumberGenerator.GetBytes(32), ZkServiceId.Aci(RandomNumberGenerator.GetBytes(16))).Serialize();
        foreach (var (bytes, parse) in new (byte[], Action<byte[]>)[]
        {
            (uuid, b => UuidCiphertext.Deserialize(b)),
            (pk, b => ProfileKeyCiphertext.Deserialize(b)),
        })
        {
            Assert.Throws<ZkGroupDeserializationException>(() => parse(bytes[..^1]));
            Assert.Throws<ZkGroupDeserializationException>(() => parse([.. bytes, 0]));
            var version = (byte[])bytes.Clone();
            version[0] = 1;
            Assert.Throws<ZkGroupDeserializationException>(() => parse(version));
            var point = (byte[])bytes.Clone();
            point[32] |= 0x80; // The top bit of a point encoding is never set.
            Assert.Throws<ZkGroupDeserializationException>(() => parse(point));
        }
    }

    [Fact]
    public void Secret_params_reject_non_canonical_scalars()
    {
        var bytes = Group.Serialize();
        var bad = (byte[])bytes.Clone();
        bad[97 + 31] = 0xFF; // a1 ≥ ℓ
        Assert.Throws<ZkGroupDeserializationException>(() => GroupSecretParams.Deserialize(bad));
        Assert.Equal(bytes, GroupSecretParams.Deserialize(bytes).Serialize());
    }

    [Fact]
    public void Short_or_empty_inputs_are_rejected_everywhere()
    {
        byte[] empty = [];
        Assert.Throws<ZkGroupDeserializationException>(() => ServerPublicParams.Deserialize(empty));
        Assert.Throws<ZkGroupDeserializationException>(() => GroupSendEndorsementsResponse.Deserialize(empty));
        Assert.Throws<ZkGroupDeserializationException>(() => GroupSendEndorsementsResponse.Deserialize([0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]));
        Assert.Throws<ZkGroupDeserializationException>(() => GroupSendEndorsement.Deserialize(new byte[32]));
        Assert.Throws<ZkGroupDeserializationException>(() => AuthCredentialWithPniResponse.Deserialize(new byte[425]));
        Assert.Throws<ZkGroupDeserializationException>(() => AuthCredentialWithPni.Deserialize(new byte[10]));
        Assert.Throws<ZkGroupDeserializationException>(() => ExpiringProfileKeyCredentialResponse.Deserialize(new byte[497]));
        Assert.Throws<ZkGroupDeserializationException>(() => ExpiringProfileKeyCredential.Deserialize(new byte[152]));
        Assert.Throws<ZkGroupDeserializationException>(() => ZkServiceId.FromBinary(new byte[17]));
        Assert.Throws<ZkGroupDeserializationException>(() => new GroupMasterKey(new byte[31]));
    }
}
