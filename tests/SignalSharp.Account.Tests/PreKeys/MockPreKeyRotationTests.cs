using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Account.PreKeys;
using SignalSharp.Account.Tests.Groups;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.Tests.PreKeys;

/// <summary>
/// Pre-key upkeep seen from Signal's mock server: the server's one-time keys are refilled when contacts used them,
/// the signed and last-resort Kyber keys are replaced after two days (the server hands out the new ids), a contact's
/// first message built on the replaced signed key still opens during the grace period, and not after it.
/// </summary>
public sealed class MockPreKeyRotationTests
{
    [Fact]
    public async Task Refills_rotates_and_keeps_the_previous_signed_key_for_the_grace_period()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var ct = timeout.Token;
        var clock = new ShiftedTime();
        await using var linked = await LinkedMock.StartAsync("Alice,Bob", new LinkedAccountOptions { Time = clock }, ct);
        var mock = linked.Mock;
        var account = linked.Account;
        var aciStores = account.Database.ProtocolStores(AccountIdentity.Aci);

        // Linking uploaded 10 one-time keys per identity; the phone, Alice and Bob each took an ACI one (7 left,
        // below Signal's minimum of 10): the start refilled the ACI identity with a fresh batch. The PNI's were not
        // used and were left alone. (The phone may already have taken one of the new batch.)
        var atLink = await DeviceKeysAsync(mock, ct);
        Assert.InRange(atLink["aci"]!["preKeys"]!.GetValue<int>(), PreKeyMaintenance.RefillBatch - 2, PreKeyMaintenance.RefillBatch);
        Assert.InRange(atLink["aci"]!["kyberPreKeys"]!.GetValue<int>(), PreKeyMaintenance.RefillBatch - 2, PreKeyMaintenance.RefillBatch);
        Assert.Equal(10, atLink["pni"]!["preKeys"]!.GetValue<int>());
        var firstSigned = atLink["aci"]!["signedPreKeyId"]!.GetValue<uint>();

        // Nothing is due yet: a pass leaves the server's signed and last-resort keys as they are.
        await account.PreKeys.MaintainAsync(checkCounts: false, ct);
        var unchanged = await DeviceKeysAsync(mock, ct);
        foreach (var identity in new[] { "aci", "pni" })
        {
            Assert.Equal(atLink[identity]!["signedPreKeyId"]!.GetValue<uint>(), unchanged[identity]!["signedPreKeyId"]!.GetValue<uint>());
            Assert.Equal(atLink[identity]!["lastResortKeyId"]!.GetValue<uint>(), unchanged[identity]!["lastResortKeyId"]!.GetValue<uint>());
        }

        // Three days later both identities' signed and last-resort keys are new at the server.
        clock.Advance(TimeSpan.FromDays(3));
        await account.PreKeys.MaintainAsync(checkCounts: false, ct);
        var rotated = await DeviceKeysAsync(mock, ct);
        foreach (var identity in new[] { "aci", "pni" })
        {
            Assert.NotEqual(atLink[identity]!["signedPreKeyId"]!.GetValue<uint>(), rotated[identity]!["signedPreKeyId"]!.GetValue<uint>());
            Assert.NotEqual(atLink[identity]!["lastResortKeyId"]!.GetValue<uint>(), rotated[identity]!["lastResortKeyId"]!.GetValue<uint>());
        }

        // The mock drops one-time keys with a rotation-only upload; the pass saw the count fall and refilled.
        Assert.Equal(PreKeyMaintenance.RefillBatch, rotated["aci"]!["preKeys"]!.GetValue<int>());
        Assert.Equal(PreKeyMaintenance.RefillBatch, rotated["pni"]!["kyberPreKeys"]!.GetValue<int>());
        var secondSigned = rotated["aci"]!["signedPreKeyId"]!.GetValue<uint>();
        Assert.Contains(firstSigned, await aciStores.SignedPreKeys.ListIdsAsync(ct));

        // Alice's session was built at link from the first signed key: her first (PreKey) message still opens.
        await mock.CommandAsync("sendText", new JsonObject { ["from"] = "alice", ["text"] = "built before the rotation" }, ct);
        Assert.Equal("built before the rotation", Assert.IsType<ReceivedMessage>(await NextItemAsync(account, ct)).Body);

        // A month later, after another rotation, the first key is past its grace period and gone (the second is
        // the youngest expired one and stays): Bob's first message, built on it at link, no longer opens.
        clock.Advance(TimeSpan.FromDays(31));
        await account.PreKeys.MaintainAsync(checkCounts: false, ct);
        var later = await DeviceKeysAsync(mock, ct);
        Assert.NotEqual(secondSigned, later["aci"]!["signedPreKeyId"]!.GetValue<uint>());
        var kept = await aciStores.SignedPreKeys.ListIdsAsync(ct);
        Assert.DoesNotContain(firstSigned, kept);
        Assert.Contains(secondSigned, kept);
        Assert.Equal(2, kept.Count);
        Assert.Equal(2, (await aciStores.KyberPreKeys.ListLastResortIdsAsync(ct)).Count);

        await mock.CommandAsync("sendText", new JsonObject { ["from"] = "bob", ["text"] = "built long ago" }, ct);
        Assert.Equal(ReceiveFailureKind.MessageError, Assert.IsType<ReceiveFailure>(await NextItemAsync(account, ct)).Kind);
    }

    private static async Task<JsonNode> DeviceKeysAsync(Interop.Testing.MockServer mock, CancellationToken ct) =>
        (await mock.CommandAsync("deviceKeys", new JsonObject(), ct))!;

    private static async Task<ReceivedItem> NextItemAsync(LinkedAccount account, CancellationToken ct)
    {
        await using var batch = await account.ReceiveAsync(new ReceiveRequest(TimeSpan.FromSeconds(20), true), ct);
        var item = Assert.Single(batch.Items);
        await batch.ConfirmAsync(ct);
        return item;
    }
}
