using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;
using SignalSharp.ZkGroup.Groups;
using SignalSharp.ZkGroup.Profiles;
using static SignalSharp.ZkGroup.Tests.Interop.ZkGroupOracle;

namespace SignalSharp.ZkGroup.Tests.Interop;

/// <summary>
/// Profile keys and the expiring profile-key credential against node: commitment, version and access key; request
/// context, received credential and presentation byte-exact for the same randomness; presentation accepted by node's
/// server-side verify.
/// </summary>
public sealed class ProfileKeyCredentialInteropTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    private const long Day = 86400;

    [Fact]
    public async Task Commitment_version_and_access_key_equal_node()
    {
        var oracle = await fixture.GetAsync();
        var aci = ZkServiceId.Aci(RandomNumberGenerator.GetBytes(16));
        var key = new ProfileKey(RandomNumberGenerator.GetBytes(32));
        var expected = await oracle.NodeAsync("zkgroup.profileKeyInfo", ("profileKey", key.Serialize()), ("aci", aci.ToBinary()));
        Assert.Equal(Convert.ToHexString(expected.Bytes("commitment")), Convert.ToHexString(key.GetCommitment(aci)));
        Assert.Equal(expected["version"]!.GetValue<string>(), key.GetProfileKeyVersion(aci));
        Assert.Equal(expected.Bytes("accessKey"), key.DeriveAccessKey());
    }

    [Fact]
    public async Task Request_credential_and_presentation_equal_node_and_the_server_accepts_it()
    {
        var oracle = await fixture.GetAsync();
        var server = await oracle.NodeAsync("zkgroup.serverParams", ("random", RandomNumberGenerator.GetBytes(32)));
        var serverPublic = ServerPublicParams.Deserialize(server.Bytes("serverPublic"));
        var aci = ZkServiceId.Aci(RandomNumberGenerator.GetBytes(16));
        var key = new ProfileKey(RandomNumberGenerator.GetBytes(32));

        var requestRandom = RandomNumberGenerator.GetBytes(32);
        var context = ProfileKeyCredentialRequestContext.CreateWithRandom(requestRandom, aci, key);
        var nodeContext = await oracle.NodeAsync("zkgroup.profileKeyRequestContext", ("serverPublic", serverPublic.Serialize()), ("random", requestRandom), ("aci", aci.ToBinary()), ("profileKey", key.Serialize()));
        Assert.Equal(Convert.ToHexString(nodeContext.Bytes("request")), Convert.ToHexString(context.GetRequest()));
        Assert.Equal(Convert.ToHexString(nodeContext.Bytes("context")), Convert.ToHexString(context.Serialize()));

        var now = DateTimeOffset.UtcNow;
        var expiration = ((now.ToUnixTimeSeconds() / Day) + 3) * Day;
        var response = await oracle.CallBytesAsync("zkgroup.issueExpiringProfileKeyCredential", new JsonObject
        {
            ["serverSecret"] = server["serverSecret"]!.GetValue<string>(),
            ["random"] = B64(RandomNumberGenerator.GetBytes(32)),
            ["request"] = B64(context.GetRequest()),
            ["aci"] = B64(aci.ToBinary()),
            ["profileKey"] = B64(key.Serialize()),
            ["expiration"] = expiration,
        });
        var credential = ExpiringProfileKeyCredentialResponse.Deserialize(response).Receive(context, serverPublic, now);
        var nodeCredential = await oracle.CallBytesAsync("zkgroup.receiveExpiringProfileKeyCredential", new JsonObject
        {
            ["serverPublic"] = B64(serverPublic.Serialize()),
            ["context"] = B64(context.Serialize()),
            ["response"] = B64(response),
            ["now"] = now.ToUnixTimeSeconds(),
        });
        Assert.Equal(Convert.ToHexString(nodeCredential), Convert.ToHexString(credential.Serialize()));

        var group = GroupSecretParams.GenerateWithRandom(RandomNumberGenerator.GetBytes(32));
        var presentRandom = RandomNumberGenerator.GetBytes(32);
        var presentation = credential.PresentWithRandom(serverPublic, group, presentRandom);
        var nodePresentation = await oracle.NodeAsync("zkgroup.presentProfileKeyCredential", ("serverPublic", serverPublic.Serialize()), ("random", presentRandom), ("secretParams", group.Serialize()), ("credential", nodeCredential));
        Assert.Equal(721, presentation.Length);
        Assert.Equal(Convert.ToBase64String(presentation), nodePresentation.GetValue<string>());
        var loaded = ExpiringProfileKeyCredential.Deserialize(nodeCredential);
        Assert.Equal(nodeCredential, loaded.Serialize());
        Assert.Equal(presentation, loaded.PresentWithRandom(serverPublic, group, presentRandom));

        var verify = new JsonObject
        {
            ["serverSecret"] = server["serverSecret"]!.GetValue<string>(),
            ["publicParams"] = B64(group.PublicParams.Serialize()),
            ["presentation"] = B64(credential.Present(serverPublic, group)),
            ["now"] = now.ToUnixTimeSeconds(),
        };
        Assert.True((await oracle.CallAsync("zkgroup.verifyProfileKeyPresentation", verify))!.GetValue<bool>());

        // Too far ahead or already expired from the receiver's point of view.
        var parsed = ExpiringProfileKeyCredentialResponse.Deserialize(response);
        Assert.Throws<ZkGroupVerificationException>(() => parsed.Receive(context, serverPublic, now.AddDays(-6)));
        Assert.Throws<ZkGroupVerificationException>(() => parsed.Receive(context, serverPublic, now.AddDays(4)));
        var otherContext = ProfileKeyCredentialRequestContext.CreateWithRandom(RandomNumberGenerator.GetBytes(32), aci, key);
        Assert.Throws<ZkGroupVerificationException>(() => parsed.Receive(otherContext, serverPublic, now));
    }
}
