using CsCheck;
using SignalSharp.ZkGroup.Groups;

namespace SignalSharp.ZkGroup.Tests.Groups;

/// <summary>Round trips over arbitrary keys, ids and profile keys (few iterations: each case does several scalar mults).</summary>
public sealed class GroupCipherPropertyTests
{
    private static readonly Gen<byte[]> Bytes32 = Gen.Byte.Array[32];
    private static readonly Gen<byte[]> Bytes16 = Gen.Byte.Array[16];

    [Fact]
    public void Service_ids_round_trip_and_keep_their_kind() =>
        Gen.Select(Bytes32, Bytes16, Gen.Bool).Sample(
            (masterKey, uuid, pni) =>
            {
                var cipher = new ClientZkGroupCipher(GroupSecretParams.DeriveFromMasterKey(new GroupMasterKey(masterKey)));
                var id = pni ? ZkServiceId.Pni(uuid) : ZkServiceId.Aci(uuid);
                return cipher.DecryptServiceId(UuidCiphertext.Deserialize(cipher.EncryptServiceId(id).Serialize())).Equals(id);
            },
            iter: 40);

    [Fact]
    public void Profile_keys_round_trip() =>
        Gen.Select(Bytes32, Bytes16, Bytes32).Sample(
            (masterKey, uuid, profileKey) =>
            {
                var cipher = new ClientZkGroupCipher(GroupSecretParams.DeriveFromMasterKey(new GroupMasterKey(masterKey)));
                var aci = ZkServiceId.Aci(uuid);
                var ct = ProfileKeyCiphertext.Deserialize(cipher.EncryptProfileKey(profileKey, aci).Serialize());
                return cipher.DecryptProfileKey(ct, aci).AsSpan().SequenceEqual(profileKey);
            },
            iter: 25);

    [Fact]
    public void Blobs_round_trip() =>
        Gen.Select(Bytes32, Gen.Byte.Array[0, 300]).Sample(
            (masterKey, plaintext) =>
            {
                var cipher = new ClientZkGroupCipher(GroupSecretParams.DeriveFromMasterKey(new GroupMasterKey(masterKey)));
                return cipher.DecryptBlob(cipher.EncryptBlob(plaintext)).AsSpan().SequenceEqual(plaintext);
            },
            iter: 50);
}
