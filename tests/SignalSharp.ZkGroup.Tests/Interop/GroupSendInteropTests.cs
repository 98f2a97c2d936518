using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;
using SignalSharp.ZkGroup.Groups;
using SignalSharp.ZkGroup.GroupSend;
using static SignalSharp.ZkGroup.Tests.Interop.ZkGroupOracle;

namespace SignalSharp.ZkGroup.Tests.Interop;

/// <summary>
/// Group send endorsements issued by node's GroupSendEndorsementsResponse: received and checked in C#, compared
/// with node's own receive, and the C# full token accepted by node's server-side verify.
/// </summary>
public sealed class GroupSendInteropTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    private const long Day = 86400;

    private static JsonArray Ids(IEnumerable<ZkServiceId> ids) => [.. ids.Select(i => (JsonNode)B64(i.ToBinary()))];

    // 7 members take the one-thread path; 40 take the parallel and batched paths, with a partial last batch.
    [Theory]
    [InlineData(4)]
    [InlineData(37)]
    public async Task Received_endorsements_and_tokens_equal_node_and_verify_on_the_server(int extraMembers)
    {
        var oracle = await fixture.GetAsync();
        var server = await oracle.NodeAsync("zkgroup.serverParams", ("random", RandomNumberGenerator.GetBytes(32)));
        var serverPublic = ServerPublicParams.Deserialize(server.Bytes("serverPublic"));
        Assert.Equal(server.Bytes("serverPublic"), serverPublic.Serialize());

        var group = GroupSecretParams.GenerateWithRandom(RandomNumberGenerator.GetBytes(32));
        var local = ZkServiceId.Aci(RandomNumberGenerator.GetBytes(16));
        var members = new List<ZkServiceId> { ZkServiceId.Aci(RandomNumberGenerator.GetBytes(16)), local, ZkServiceId.Pni(RandomNumberGenerator.GetBytes(16)) };
        members.AddRange(Enumerable.Range(0, extraMembers).Select(_ => ZkServiceId.Aci(RandomNumberGenerator.GetBytes(16))));

        var now = DateTimeOffset.UtcNow;
        var expiration = ((now.ToUnixTimeSeconds() / Day) + 2) * Day;
        var responseBytes = await oracle.CallBytesAsync("zkgroup.issueEndorsements", new JsonObject
        {
            ["serverSecret"] = server["serverSecret"]!.GetValue<string>(),
            ["secretParams"] = B64(group.Serialize()),
            ["members"] = Ids(members),
            ["expiration"] = expiration,
            ["random"] = B64(RandomNumberGenerator.GetBytes(32)),
        });

        var response = GroupSendEndorsementsResponse.Deserialize(responseBytes);
        Assert.Equal((ulong)expiration, response.ExpirationSeconds);
        var (endorsements, combined) = response.ReceiveWithServiceIds(members, local, group, serverPublic, now);

        var expected = (await oracle.CallAsync("zkgroup.receiveEndorsements", new JsonObject
        {
            ["response"] = B64(responseBytes),
            ["members"] = Ids(members),
            ["localAci"] = B64(local.ToBinary()),
            ["secretParams"] = B64(group.Serialize()),
            ["serverPublic"] = server["serverPublic"]!.GetValue<string>(),
            ["now"] = now.ToUnixTimeSeconds(),
        }))!;
        Assert.Equal(
            expected["endorsements"]!.AsArray().Select(x => x!.GetValue<string>()),
            endorsements.Select(x => B64(x.Serialize())));
        Assert.Equal(expected["combined"]!.GetValue<string>(), B64(combined.Serialize()));

        var cipher = new ClientZkGroupCipher(group);
        var (fromCiphertexts, combinedFromCiphertexts) = response.ReceiveWithCiphertexts(
            [.. members.Select(cipher.EncryptServiceId)], cipher.EncryptServiceId(local), serverPublic, now);
        Assert.Equal(endorsements.Select(x => B64(x.Serialize())), fromCiphertexts.Select(x => B64(x.Serialize())));
        Assert.Equal(B64(combined.Serialize()), B64(combinedFromCiphertexts.Serialize()));

        var token = combined.ToFullToken(group, (ulong)expiration).Serialize();
        var nodeToken = await oracle.CallBytesAsync("zkgroup.endorsementToFullToken", new JsonObject
        {
            ["endorsement"] = B64(combined.Serialize()),
            ["secretParams"] = B64(group.Serialize()),
            ["expiration"] = expiration,
        });
        Assert.Equal(nodeToken, token);
        Assert.Equal((ulong)expiration, GroupSendFullToken.Deserialize(nodeToken).ExpirationSeconds);
        Assert.Throws<ZkGroupDeserializationException>(() => GroupSendFullToken.Deserialize(nodeToken[..^1]));

        // The server accepts the token for exactly the other members; dropping one needs byRemoving.
        var others = members.Where(m => !m.Equals(local)).ToList();
        Assert.True((await oracle.CallAsync("zkgroup.verifyFullToken", Verify(server, others, token, expiration, now)))!.GetValue<bool>());
        await Assert.ThrowsAsync<OracleException>(() => oracle.CallAsync("zkgroup.verifyFullToken", Verify(server, members, token, expiration, now)));

        var fewer = combined.ByRemoving(endorsements[0]).ToFullToken(group, (ulong)expiration).Serialize();
        Assert.True((await oracle.CallAsync("zkgroup.verifyFullToken", Verify(server, others.Skip(1), fewer, expiration, now)))!.GetValue<bool>());
    }

    [Fact]
    public async Task A_response_for_other_members_or_a_bad_expiration_is_rejected()
    {
        var oracle = await fixture.GetAsync();
        var server = await oracle.NodeAsync("zkgroup.serverParams", ("random", RandomNumberGenerator.GetBytes(32)));
        var serverPublic = ServerPublicParams.Deserialize(server.Bytes("serverPublic"));
        var group = GroupSecretParams.GenerateWithRandom(RandomNumberGenerator.GetBytes(32));
        var members = Enumerable.Range(0, 3).Select(_ => ZkServiceId.Aci(RandomNumberGenerator.GetBytes(16))).ToList();
        var now = DateTimeOffset.UtcNow;
        var expiration = ((now.ToUnixTimeSeconds() / Day) + 2) * Day;
        var response = GroupSendEndorsementsResponse.Deserialize(await oracle.CallBytesAsync("zkgroup.issueEndorsements", new JsonObject
        {
            ["serverSecret"] = server["serverSecret"]!.GetValue<string>(),
            ["secretParams"] = B64(group.Serialize()),
            ["members"] = Ids(members),
            ["expiration"] = expiration,
            ["random"] = B64(RandomNumberGenerator.GetBytes(32)),
        }));

        var swapped = members.ToList();
        swapped[1] = ZkServiceId.Aci(RandomNumberGenerator.GetBytes(16));
        Assert.Throws<ZkGroupVerificationException>(() => response.ReceiveWithServiceIds(swapped, swapped[0], group, serverPublic, now));
        Assert.Throws<ZkGroupVerificationException>(() => response.ReceiveWithServiceIds(members, members[0], group, serverPublic, now.AddDays(-6)));
        Assert.Throws<ZkGroupVerificationException>(() => response.ReceiveWithServiceIds(members, members[0], group, serverPublic, now.AddDays(3)));

        // Member order does not matter to the proof; results follow the caller's order.
        var reversed = Enumerable.Reverse(members).ToList();
        var (forward, _) = response.ReceiveWithServiceIds(members, members[0], group, serverPublic, now);
        var (backward, _) = response.ReceiveWithServiceIds(reversed, members[0], group, serverPublic, now);
        Assert.Equal(forward.Select(x => B64(x.Serialize())), Enumerable.Reverse(backward).Select(x => B64(x.Serialize())));
    }

    [Fact]
    public async Task A_one_member_group_works_like_node()
    {
        var oracle = await fixture.GetAsync();
        var server = await oracle.NodeAsync("zkgroup.serverParams", ("random", RandomNumberGenerator.GetBytes(32)));
        var serverPublic = ServerPublicParams.Deserialize(server.Bytes("serverPublic"));
        var group = GroupSecretParams.GenerateWithRandom(RandomNumberGenerator.GetBytes(32));
        var local = ZkServiceId.Aci(RandomNumberGenerator.GetBytes(16));
        var now = DateTimeOffset.UtcNow;
        var expiration = ((now.ToUnixTimeSeconds() / Day) + 2) * Day;
        var responseBytes = await oracle.CallBytesAsync("zkgroup.issueEndorsements", new JsonObject
        {
            ["serverSecret"] = server["serverSecret"]!.GetValue<string>(),
            ["secretParams"] = B64(group.Serialize()),
            ["members"] = Ids([local]),
            ["expiration"] = expiration,
            ["random"] = B64(RandomNumberGenerator.GetBytes(32)),
        });
        var (endorsements, combined) = GroupSendEndorsementsResponse.Deserialize(responseBytes).ReceiveWithServiceIds([local], local, group, serverPublic, now);
        var expected = (await oracle.CallAsync("zkgroup.receiveEndorsements", new JsonObject
        {
            ["response"] = B64(responseBytes),
            ["members"] = Ids([local]),
            ["localAci"] = B64(local.ToBinary()),
            ["secretParams"] = B64(group.Serialize()),
            ["serverPublic"] = server["serverPublic"]!.GetValue<string>(),
            ["now"] = now.ToUnixTimeSeconds(),
        }))!;
        Assert.Equal(expected["endorsements"]![0]!.GetValue<string>(), B64(endorsements[0].Serialize()));
        Assert.Equal(expected["combined"]!.GetValue<string>(), B64(combined.Serialize()));
    }

    private static JsonObject Verify(JsonNode server, IEnumerable<ZkServiceId> members, byte[] token, long expiration, DateTimeOffset now) => new()
    {
        ["serverSecret"] = server["serverSecret"]!.GetValue<string>(),
        ["members"] = Ids(members),
        ["token"] = B64(token),
        ["expiration"] = expiration,
        ["now"] = now.ToUnixTimeSeconds(),
    };
}
