using SignalSharp.Account.PreKeys;
using SignalSharp.Account.Tests.Groups;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.Tests.PreKeys;

/// <summary>
/// One-time keys the server no longer hands out (a newer batch replaced its list) are kept for Signal-Android's 90
/// days, since a contact may start a session from a bundle it fetched earlier, and deleted after. Against Signal's
/// mock server, whose rotation-only upload drops the one-time keys, so that each rotation pass uploads a new batch.
/// </summary>
public sealed class MockOneTimePreKeyCleanupTests
{
    [Fact]
    public async Task One_time_keys_replaced_at_the_server_are_deleted_ninety_days_later()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var ct = timeout.Token;
        var clock = new ShiftedTime();
        HashSet<uint> linkEc = [], linkKyber = [];
        await using var linked = await LinkedMock.StartAsync("Alice", new LinkedAccountOptions { Time = clock }, ct, beforeStart: async opened =>
        {
            var atLink = opened.Database.ProtocolStores(AccountIdentity.Aci);
            linkEc = [.. await atLink.PreKeys.ListIdsAsync(ct)];
            linkKyber = await OneTimeKyberAsync(atLink, ct);
        });
        var account = linked.Account;
        var stores = account.Database.ProtocolStores(AccountIdentity.Aci);
        Assert.Equal(10, linkEc.Count);
        Assert.Equal(10, linkKyber.Count);

        // The phone and Alice took one of the link's keys each: the start replaced the server's list with a batch of
        // 100. The link's keys stay: the phone and Alice hold one each, not used yet.
        var (ecAtStart, kyberAtStart) = (await EcAsync(stores, ct), await OneTimeKyberAsync(stores, ct));
        var firstEc = ecAtStart.Except(linkEc).ToHashSet();
        var firstKyber = kyberAtStart.Except(linkKyber).ToHashSet();
        Assert.Equal(PreKeyMaintenance.RefillBatch, firstEc.Count);
        Assert.Equal(PreKeyMaintenance.RefillBatch, firstKyber.Count);
        Assert.Superset(linkEc, ecAtStart);
        Assert.Superset(linkKyber, kyberAtStart);

        // 89 days on, a pass rotates (and with it a new batch replaces the first): nothing has been stale 90 days.
        clock.Advance(TimeSpan.FromDays(89));
        await account.PreKeys.MaintainAsync(checkCounts: false, ct);
        var (ec89, kyber89) = (await EcAsync(stores, ct), await OneTimeKyberAsync(stores, ct));
        Assert.Superset(ecAtStart, ec89);
        Assert.Superset(kyberAtStart, kyber89);
        var secondEc = ec89.Except(ecAtStart).ToHashSet();
        var secondKyber = kyber89.Except(kyberAtStart).ToHashSet();
        Assert.Equal(PreKeyMaintenance.RefillBatch, secondEc.Count);

        // Two days later the link's keys have been stale for 91 days and go; the first batch (replaced two days ago),
        // the second (replaced now) and the third (the server's) stay.
        clock.Advance(TimeSpan.FromDays(2));
        await account.PreKeys.MaintainAsync(checkCounts: false, ct);
        var (ec91, kyber91) = (await EcAsync(stores, ct), await OneTimeKyberAsync(stores, ct));
        var thirdEc = ec91.Except(ec89).ToHashSet();
        var thirdKyber = kyber91.Except(kyber89).ToHashSet();
        Assert.Equal(PreKeyMaintenance.RefillBatch, thirdEc.Count);
        Assert.Empty(ec91.Intersect(linkEc));
        Assert.Empty(kyber91.Intersect(linkKyber));
        Assert.Equal(firstEc.Union(secondEc).Union(thirdEc).Order(), ec91.Order());
        Assert.Equal(firstKyber.Union(secondKyber).Union(thirdKyber).Order(), kyber91.Order());
    }

    private static async Task<HashSet<uint>> EcAsync(ProtocolStores stores, CancellationToken ct) => [.. await stores.PreKeys.ListIdsAsync(ct)];

    private static async Task<HashSet<uint>> OneTimeKyberAsync(ProtocolStores stores, CancellationToken ct) =>
        [.. (await stores.KyberPreKeys.ListIdsAsync(ct)).Except(await stores.KyberPreKeys.ListLastResortIdsAsync(ct))];
}
