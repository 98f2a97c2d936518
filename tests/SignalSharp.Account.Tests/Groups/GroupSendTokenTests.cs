using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using SignalSharp.Account.Sending;
using SignalSharp.Interop.Testing;
using SignalSharp.Store.Groups;
using SignalSharp.ZkGroup.Groups;

namespace SignalSharp.Account.Tests.Groups;

/// <summary>
/// The Group-Send-Token a group send carries: built from the group's stored endorsements response (issued here by
/// libsignal's server side in node) for exactly the members sent to, and accepted by libsignal's server-side
/// verification for that set only.
/// </summary>
public sealed class GroupSendTokenTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    private const long Day = 86400;

    [Fact]
    public async Task The_token_for_the_recipients_verifies_on_the_server_and_only_for_them()
    {
        var oracle = await fixture.GetAsync();
        var server = (await oracle.CallAsync("zkgroup.serverParams", new JsonObject { ["random"] = B64(RandomNumberGenerator.GetBytes(32)) }))!;
        var serverPublic = Convert.FromBase64String(server["serverPublic"]!.GetValue<string>());
        var masterKey = RandomNumberGenerator.GetBytes(32);
        var secret = GroupSecretParams.DeriveFromMasterKey(new GroupMasterKey(masterKey));
        var me = Guid.NewGuid();
        var members = new List<Guid> { Guid.NewGuid(), me, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() };
        var now = DateTimeOffset.UtcNow;
        var expiration = ((now.ToUnixTimeSeconds() / Day) + 2) * Day;
        var response = Convert.FromBase64String((await oracle.CallAsync("zkgroup.issueEndorsements", new JsonObject
        {
            ["secretParams"] = B64(secret.Serialize()),
            ["serverSecret"] = server["serverSecret"]!.GetValue<string>(),
            ["members"] = Ids(members),
            ["expiration"] = expiration,
            ["random"] = B64(RandomNumberGenerator.GetBytes(32)),
        }))!.GetValue<string>());

        var group = new GroupRecord(secret.GroupIdentifier.ToArray(), masterKey, 3, "g",
            [.. members.Select(m => new GroupMemberRecord(m, 1, null, 0))], [], [], false, response, now);
        using var context = new GroupSendContext(_ => throw new InvalidOperationException(), (_, _) => throw new InvalidOperationException(), null, serverPublic,
            NullLogger.Instance);

        var recipients = members.Where(m => m != me).ToList();
        var token = context.GroupSendToken(group, recipients);
        Assert.True((await oracle.CallAsync("zkgroup.verifyFullToken", Verify(server, recipients, token, expiration, now)))!.GetValue<bool>());
        // Not valid for another set (here: everyone, ourselves included).
        await Assert.ThrowsAsync<OracleException>(() => oracle.CallAsync("zkgroup.verifyFullToken", Verify(server, members, token, expiration, now)));

        // A send to fewer members (one unreachable) gets a token for exactly those.
        var fewer = recipients.Skip(1).ToList();
        var fewerToken = context.GroupSendToken(group, fewer);
        Assert.True((await oracle.CallAsync("zkgroup.verifyFullToken", Verify(server, fewer, fewerToken, expiration, now)))!.GetValue<bool>());

        // No endorsements stored, or a recipient outside the endorsed membership: no token (the send then falls back).
        Assert.Empty(context.GroupSendToken(group with { EndorsementsResponse = null }, recipients));
        Assert.Empty(context.GroupSendToken(group, [.. recipients, Guid.NewGuid()]));
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes);

    private static JsonArray Ids(IEnumerable<Guid> acis) => [.. acis.Select(a => (JsonNode)B64(a.ToByteArray(bigEndian: true)))];

    private static JsonObject Verify(JsonNode server, IEnumerable<Guid> members, byte[] token, long expiration, DateTimeOffset now) => new()
    {
        ["serverSecret"] = server["serverSecret"]!.GetValue<string>(),
        ["members"] = Ids(members),
        ["token"] = B64(token),
        ["expiration"] = expiration,
        ["now"] = now.ToUnixTimeSeconds(),
    };
}
