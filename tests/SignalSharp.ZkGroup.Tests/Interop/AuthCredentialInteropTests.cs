using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;
using SignalSharp.ZkGroup.Auth;
using SignalSharp.ZkGroup.Groups;
using static SignalSharp.ZkGroup.Tests.Interop.ZkGroupOracle;

namespace SignalSharp.ZkGroup.Tests.Interop;

/// <summary>
/// AuthCredentialWithPni issued by node's ServerZkAuthOperations: received (issuance proof verified) and presented
/// in C#, byte-exact with node's client for the same randomness, and accepted by node's server-side verify.
/// </summary>
public sealed class AuthCredentialInteropTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    private const long Day = 86400;

    private sealed record Issued(JsonNode Server, ServerPublicParams ServerPublic, ZkServiceId Aci, ZkServiceId Pni, long RedemptionTime, byte[] Response);

    private async Task<Issued> IssueAsync(NodeOracle oracle)
    {
        var server = await oracle.NodeAsync("zkgroup.serverParams", ("random", RandomNumberGenerator.GetBytes(32)));
        var aci = ZkServiceId.Aci(RandomNumberGenerator.GetBytes(16));
        var pni = ZkServiceId.Pni(RandomNumberGenerator.GetBytes(16));
        var redemption = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / Day * Day;
        var response = await oracle.CallBytesAsync("zkgroup.issueAuthCredential", new JsonObject
        {
            ["serverSecret"] = server["serverSecret"]!.GetValue<string>(),
            ["aci"] = B64(aci.ToBinary()),
            ["pni"] = B64(pni.ToBinary()),
            ["redemptionTime"] = redemption,
            ["random"] = B64(RandomNumberGenerator.GetBytes(32)),
        });
        return new Issued(server, ServerPublicParams.Deserialize(server.Bytes("serverPublic")), aci, pni, redemption, response);
    }

    [Fact]
    public async Task Received_credential_and_presentation_equal_node_and_the_server_accepts_it()
    {
        var oracle = await fixture.GetAsync();
        var issued = await IssueAsync(oracle);
        var credential = AuthCredentialWithPniResponse.Deserialize(issued.Response)
            .Receive(issued.Aci, issued.Pni, (ulong)issued.RedemptionTime, issued.ServerPublic);

        var nodeCredential = await oracle.CallBytesAsync("zkgroup.receiveAuthCredential", new JsonObject
        {
            ["serverPublic"] = issued.Server["serverPublic"]!.GetValue<string>(),
            ["aci"] = B64(issued.Aci.ToBinary()),
            ["pni"] = B64(issued.Pni.ToBinary()),
            ["redemptionTime"] = issued.RedemptionTime,
            ["response"] = B64(issued.Response),
        });
        Assert.Equal(Convert.ToHexString(nodeCredential), Convert.ToHexString(credential.Serialize()));

        var group = GroupSecretParams.GenerateWithRandom(RandomNumberGenerator.GetBytes(32));
        var random = RandomNumberGenerator.GetBytes(32);
        var presentation = credential.PresentWithRandom(issued.ServerPublic, group, random);
        var nodePresentation = await oracle.CallBytesAsync("zkgroup.presentAuthCredential", new JsonObject
        {
            ["serverPublic"] = issued.Server["serverPublic"]!.GetValue<string>(),
            ["secretParams"] = B64(group.Serialize()),
            ["credential"] = B64(nodeCredential),
            ["random"] = B64(random),
        });
        Assert.Equal(Convert.ToHexString(nodePresentation), Convert.ToHexString(presentation));

        // A stored credential (here node's bytes) loads and presents identically.
        var loaded = AuthCredentialWithPni.Deserialize(nodeCredential);
        Assert.Equal(nodeCredential, loaded.Serialize());
        Assert.Equal(presentation, loaded.PresentWithRandom(issued.ServerPublic, group, random));
        Assert.Throws<ZkGroupDeserializationException>(() => AuthCredentialWithPni.Deserialize(nodeCredential[..^1]));

        var fresh = credential.Present(issued.ServerPublic, group);
        Assert.True((await oracle.CallAsync("zkgroup.verifyAuthPresentation", VerifyArgs(issued, group.PublicParams, fresh)))!.GetValue<bool>());

        // Presented for one group, it is no good for another.
        var other = GroupSecretParams.GenerateWithRandom(RandomNumberGenerator.GetBytes(32));
        await Assert.ThrowsAsync<OracleException>(() => oracle.CallAsync("zkgroup.verifyAuthPresentation", VerifyArgs(issued, other.PublicParams, fresh)));
    }

    [Fact]
    public async Task A_response_for_other_ids_or_another_day_does_not_verify()
    {
        var oracle = await fixture.GetAsync();
        var issued = await IssueAsync(oracle);
        var response = AuthCredentialWithPniResponse.Deserialize(issued.Response);
        var time = (ulong)issued.RedemptionTime;
        Assert.Throws<ZkGroupVerificationException>(() => response.Receive(ZkServiceId.Aci(RandomNumberGenerator.GetBytes(16)), issued.Pni, time, issued.ServerPublic));
        Assert.Throws<ZkGroupVerificationException>(() => response.Receive(issued.Aci, ZkServiceId.Pni(issued.Aci.Uuid), time, issued.ServerPublic));
        Assert.Throws<ZkGroupVerificationException>(() => response.Receive(issued.Aci, issued.Pni, time + (ulong)Day, issued.ServerPublic));
        Assert.Throws<ZkGroupVerificationException>(() => response.Receive(issued.Aci, issued.Pni, time + 1, issued.ServerPublic));
    }

    [Fact]
    public async Task A_credential_without_pni_equals_node_and_its_presentation_is_accepted()
    {
        var oracle = await fixture.GetAsync();
        var server = await oracle.NodeAsync("zkgroup.serverParams", ("random", RandomNumberGenerator.GetBytes(32)));
        var serverPublic = ServerPublicParams.Deserialize(server.Bytes("serverPublic"));
        var aci = ZkServiceId.Aci(RandomNumberGenerator.GetBytes(16));
        var salt = RandomNumberGenerator.GetBytes(32);
        var redemption = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / Day * Day;
        var args = new JsonObject
        {
            ["serverSecret"] = server["serverSecret"]!.GetValue<string>(),
            ["serverPublic"] = server["serverPublic"]!.GetValue<string>(),
            ["aci"] = B64(aci.ToBinary()),
            ["salt"] = B64(salt),
            ["redemptionTime"] = redemption,
            ["random"] = B64(RandomNumberGenerator.GetBytes(32)),
        };
        var response = await oracle.CallBytesAsync("zkgroup.issueAuthCredentialWithoutPni", (JsonObject)args.DeepClone());
        args["response"] = B64(response);
        var nodeCredential = await oracle.CallBytesAsync("zkgroup.receiveAuthCredentialWithoutPni", args);

        var parsed = AuthCredentialWithPniResponse.Deserialize(response);
        var credential = parsed.ReceiveWithoutPni(aci, salt, (ulong)redemption, serverPublic);
        Assert.Equal(Convert.ToHexString(nodeCredential), Convert.ToHexString(credential.Serialize()));
        Assert.Equal(nodeCredential, AuthCredentialWithPni.Deserialize(nodeCredential).Serialize());
        Assert.Throws<ZkGroupVerificationException>(() => parsed.ReceiveWithoutPni(aci, RandomNumberGenerator.GetBytes(32), (ulong)redemption, serverPublic));

        var group = GroupSecretParams.GenerateWithRandom(RandomNumberGenerator.GetBytes(32));
        var issued = new Issued(server, serverPublic, aci, credential.Pni, redemption, response);
        var verified = await oracle.CallAsync("zkgroup.verifyAuthPresentation", VerifyArgs(issued, group.PublicParams, credential.Present(serverPublic, group)));
        Assert.True(verified!.GetValue<bool>());
    }

    private static JsonObject VerifyArgs(Issued issued, GroupPublicParams publicParams, byte[] presentation) => new()
    {
        ["serverSecret"] = issued.Server["serverSecret"]!.GetValue<string>(),
        ["publicParams"] = B64(publicParams.Serialize()),
        ["presentation"] = B64(presentation),
        ["now"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
    };
}

/// <summary>The Basic header the group server parses (as the mock server does) carries a presentation it accepts.</summary>
public sealed class GroupServerAuthorizationTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    [Fact]
    public async Task Basic_header_carries_public_params_and_an_accepted_presentation()
    {
        var oracle = await fixture.GetAsync();
        var server = await oracle.NodeAsync("zkgroup.serverParams", ("random", RandomNumberGenerator.GetBytes(32)));
        var serverPublic = ServerPublicParams.Deserialize(server.Bytes("serverPublic"));
        var aci = ZkServiceId.Aci(RandomNumberGenerator.GetBytes(16));
        var pni = ZkServiceId.Pni(RandomNumberGenerator.GetBytes(16));
        var now = DateTimeOffset.UtcNow;
        var today = now.ToUnixTimeSeconds() / 86400 * 86400;
        var credentials = new List<AuthCredentialWithPni>();
        foreach (var day in new[] { today + 86400, today })
        {
            var response = await oracle.CallBytesAsync("zkgroup.issueAuthCredential", new JsonObject
            {
                ["serverSecret"] = server["serverSecret"]!.GetValue<string>(),
                ["aci"] = B64(aci.ToBinary()),
                ["pni"] = B64(pni.ToBinary()),
                ["redemptionTime"] = day,
                ["random"] = B64(RandomNumberGenerator.GetBytes(32)),
            });
            credentials.Add(AuthCredentialWithPniResponse.Deserialize(response).Receive(aci, pni, (ulong)day, serverPublic));
        }

        var credential = GroupServerAuthorization.ForToday(credentials, now)!;
        Assert.Equal((ulong)today, credential.RedemptionTime);

        var group = GroupSecretParams.GenerateWithRandom(RandomNumberGenerator.GetBytes(32));
        var header = GroupServerAuthorization.BasicHeader(credential, serverPublic, group);
        Assert.StartsWith("Basic ", header, StringComparison.Ordinal);
        var parts = System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(header["Basic ".Length..])).Split(':');
        Assert.Equal(group.PublicParams.Serialize(), Convert.FromHexString(parts[0]));
        var verified = await oracle.CallAsync("zkgroup.verifyAuthPresentation", new JsonObject
        {
            ["serverSecret"] = server["serverSecret"]!.GetValue<string>(),
            ["publicParams"] = B64(Convert.FromHexString(parts[0])),
            ["presentation"] = B64(Convert.FromHexString(parts[1])),
            ["now"] = now.ToUnixTimeSeconds(),
        });
        Assert.True(verified!.GetValue<bool>());
    }
}
