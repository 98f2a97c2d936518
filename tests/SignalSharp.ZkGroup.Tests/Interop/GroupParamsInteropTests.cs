using System.Security.Cryptography;
using SignalSharp.Interop.Testing;
using SignalSharp.ZkGroup.Groups;

namespace SignalSharp.ZkGroup.Tests.Interop;

/// <summary>Group key derivation equals libsignal's GroupSecretParams.deriveFromMasterKey / generateWithRandom.</summary>
public sealed class GroupParamsInteropTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    [Fact]
    public async Task Derived_params_equal_node_for_random_master_keys()
    {
        var oracle = await fixture.GetAsync();
        for (var i = 0; i < 5; i++)
        {
            var masterKey = i == 0 ? new byte[32] : RandomNumberGenerator.GetBytes(32);
            var expected = await oracle.NodeAsync("zkgroup.deriveFromMasterKey", ("masterKey", masterKey));
            var secret = GroupSecretParams.DeriveFromMasterKey(new GroupMasterKey(masterKey));
            Assert.Equal(Convert.ToHexString(expected.Bytes("secretParams")), Convert.ToHexString(secret.Serialize()));
            Assert.Equal(Convert.ToHexString(expected.Bytes("publicParams")), Convert.ToHexString(secret.PublicParams.Serialize()));
            Assert.Equal(expected.Bytes("groupId"), secret.GroupIdentifier.ToArray());
        }
    }

    [Fact]
    public async Task Generated_params_equal_node_for_the_same_randomness()
    {
        var oracle = await fixture.GetAsync();
        var random = RandomNumberGenerator.GetBytes(32);
        var expected = await oracle.NodeAsync("zkgroup.generateWithRandom", ("random", random));
        var secret = GroupSecretParams.GenerateWithRandom(random);
        Assert.Equal(expected.Bytes("masterKey"), secret.MasterKey.Serialize());
        Assert.Equal(expected.Bytes("secretParams"), secret.Serialize());
    }

    [Fact]
    public async Task Node_params_round_trip_through_deserialization()
    {
        var oracle = await fixture.GetAsync();
        var expected = await oracle.NodeAsync("zkgroup.deriveFromMasterKey", ("masterKey", RandomNumberGenerator.GetBytes(32)));
        Assert.Equal(expected.Bytes("secretParams"), GroupSecretParams.Deserialize(expected.Bytes("secretParams")).Serialize());
        var pub = GroupPublicParams.Deserialize(expected.Bytes("publicParams"));
        Assert.Equal(expected.Bytes("publicParams"), pub.Serialize());
        Assert.Equal(expected.Bytes("groupId"), pub.GroupIdentifier.ToArray());
        Assert.Throws<ZkGroupDeserializationException>(() => GroupSecretParams.Deserialize(expected.Bytes("secretParams")[..^1]));
        var badVersion = expected.Bytes("publicParams");
        badVersion[0] = 1;
        Assert.Throws<ZkGroupDeserializationException>(() => GroupPublicParams.Deserialize(badVersion));
    }
}
