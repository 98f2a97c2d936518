using SignalSharp.Protocol;
using SignalSharp.Protocol.Storage;
using SignalSharp.Store.Errors;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Store.Tests.Protocol;

/// <summary>What the SQLite protocol stores add to the shared contracts: trust levels and policies, ACI/PNI
/// separation, per-device session management, and persistence across reopening.</summary>
public sealed class SqliteProtocolStoreTests
{
    private static readonly ProtocolAddress Bob1 = new("bbbbbbbb-0000-4000-8000-000000000002", 1);
    private static readonly ProtocolAddress Bob2 = new("bbbbbbbb-0000-4000-8000-000000000002", 2);

    [Fact]
    public async Task Without_a_local_identity_the_store_says_so()
    {
        await using var t = await TestDatabase.OpenAsync();
        var store = t.Db.ProtocolStores(AccountIdentity.Aci).IdentityKeys;
        await Assert.ThrowsAsync<NoLocalIdentityException>(() => store.GetIdentityKeyPairAsync());
        await Assert.ThrowsAsync<NoLocalIdentityException>(() => store.GetLocalRegistrationIdAsync());
    }

    [Fact]
    public async Task ACI_and_PNI_have_their_own_identity_prekeys_and_sessions()
    {
        await using var t = await TestDatabase.OpenAsync();
        var aci = t.Db.ProtocolStores(AccountIdentity.Aci);
        var pni = t.Db.ProtocolStores(AccountIdentity.Pni);
        var aciPair = IdentityKeyPair.Generate();
        var pniPair = IdentityKeyPair.Generate();
        await aci.IdentityKeys.SetLocalIdentityAsync(aciPair, 11);
        await pni.IdentityKeys.SetLocalIdentityAsync(pniPair, 22);
        Assert.Equal(aciPair.IdentityKey, (await aci.IdentityKeys.GetIdentityKeyPairAsync()).IdentityKey);
        Assert.Equal(pniPair.IdentityKey, (await pni.IdentityKeys.GetIdentityKeyPairAsync()).IdentityKey);
        Assert.Equal(22u, await pni.IdentityKeys.GetLocalRegistrationIdAsync());

        await aci.PreKeys.StorePreKeyAsync(1, PreKeyRecord.Generate(1));
        await Assert.ThrowsAsync<InvalidKeyIdException>(() => pni.PreKeys.LoadPreKeyAsync(1));
        await aci.Sessions.StoreSessionAsync(Bob1, await ProtocolRun.EstablishedSessionAsync());
        Assert.Null(await pni.Sessions.LoadSessionAsync(Bob1));

        // Remote identities are the person's, whichever of our identities talks to them.
        var bobKey = IdentityKeyPair.Generate().IdentityKey;
        await aci.IdentityKeys.SaveIdentityAsync(Bob1, bobKey);
        Assert.Equal(bobKey, await pni.IdentityKeys.GetIdentityAsync(Bob1));
    }

    [Fact]
    public async Task Identities_belong_to_the_name_not_the_device()
    {
        await using var t = await TestDatabase.OpenAsync();
        var store = t.Db.ProtocolStores(AccountIdentity.Aci).IdentityKeys;
        var key = IdentityKeyPair.Generate().IdentityKey;
        await store.SaveIdentityAsync(Bob1, key);
        Assert.Equal(key, await store.GetIdentityAsync(Bob2));
        Assert.False(await store.IsTrustedIdentityAsync(Bob2, IdentityKeyPair.Generate().IdentityKey, TrustDirection.Sending));
    }

    [Fact]
    public async Task On_first_use_a_changed_key_stays_untrusted_for_sending_until_the_user_trusts_it()
    {
        await using var t = await TestDatabase.OpenAsync();
        var store = t.Db.ProtocolStores(AccountIdentity.Aci).IdentityKeys;
        var first = IdentityKeyPair.Generate().IdentityKey;
        var second = IdentityKeyPair.Generate().IdentityKey;
        await store.SaveIdentityAsync(Bob1, first);
        Assert.Equal(TrustLevel.TrustedUnverified, (await store.GetStoredIdentityAsync(Bob1.Name))!.Trust);

        // The contact reinstalled: receiving goes on, the new key is recorded, sending waits for the user.
        Assert.True(await store.IsTrustedIdentityAsync(Bob1, second, TrustDirection.Receiving));
        Assert.Equal(IdentityChange.ReplacedExisting, await store.SaveIdentityAsync(Bob1, second));
        Assert.Equal(TrustLevel.Untrusted, (await store.GetStoredIdentityAsync(Bob1.Name))!.Trust);
        Assert.False(await store.IsTrustedIdentityAsync(Bob1, second, TrustDirection.Sending));

        // Trusting a key that is no longer the stored one does nothing.
        Assert.False(await store.SetTrustAsync(Bob1.Name, first, TrustLevel.TrustedVerified));
        Assert.True(await store.SetTrustAsync(Bob1.Name, second, TrustLevel.TrustedVerified));
        Assert.True(await store.IsTrustedIdentityAsync(Bob1, second, TrustDirection.Sending));
        Assert.Equal(TrustLevel.TrustedVerified, Assert.Single(await store.ListIdentitiesAsync()).Trust);
    }

    [Theory]
    [InlineData(TrustNewIdentities.Always, true, true)]
    [InlineData(TrustNewIdentities.Never, false, false)]
    public async Task Policies_always_and_never(TrustNewIdentities policy, bool unknownTrusted, bool changedTrusted)
    {
        using var dir = new TempDirectory();
        await using var db = await AccountDatabase.OpenAsync(dir.Account, TestDatabase.Options(TimeProvider.System) with { TrustNewIdentities = policy });
        var store = db.ProtocolStores(AccountIdentity.Aci).IdentityKeys;
        var first = IdentityKeyPair.Generate().IdentityKey;
        var second = IdentityKeyPair.Generate().IdentityKey;
        Assert.Equal(unknownTrusted, await store.IsTrustedIdentityAsync(Bob1, first, TrustDirection.Sending));
        await store.SaveIdentityAsync(Bob1, first);
        await store.SaveIdentityAsync(Bob1, second);
        Assert.Equal(changedTrusted, await store.IsTrustedIdentityAsync(Bob1, second, TrustDirection.Sending));
    }

    [Fact]
    public async Task Sessions_list_and_delete_per_device()
    {
        await using var t = await TestDatabase.OpenAsync();
        var sessions = t.Db.ProtocolStores(AccountIdentity.Aci).Sessions;
        var record = await ProtocolRun.EstablishedSessionAsync();
        await sessions.StoreSessionAsync(Bob1, record);
        await sessions.StoreSessionAsync(Bob2, record);
        await sessions.StoreSessionAsync(new ProtocolAddress("cccccccc-0000-4000-8000-000000000003", 1), record);
        Assert.Equal([1u, 2u], await sessions.GetDeviceIdsAsync(Bob1.Name));
        Assert.True(await sessions.DeleteSessionAsync(Bob2));
        Assert.False(await sessions.DeleteSessionAsync(Bob2));
        Assert.Equal([1u], await sessions.GetDeviceIdsAsync(Bob1.Name));
        Assert.Equal(1, await sessions.DeleteAllSessionsAsync(Bob1.Name));
        Assert.Null(await sessions.LoadSessionAsync(Bob1));
    }

    [Fact]
    public async Task Used_one_time_kyber_keys_are_counted_and_cleaned_up_last_resort_keys_stay()
    {
        await using var t = await TestDatabase.OpenAsync();
        var kyber = t.Db.ProtocolStores(AccountIdentity.Aci).KyberPreKeys;
        var identity = IdentityKeyPair.Generate();
        for (uint id = 1; id <= 3; id++)
        {
            await kyber.StoreKyberPreKeyAsync(id, KyberPreKeyRecord.Generate(identity, id));
        }

        await kyber.StoreLastResortKyberPreKeyAsync(100, KyberPreKeyRecord.Generate(identity, 100));
        Assert.Equal(3, await kyber.CountUnusedOneTimeAsync());
        await kyber.MarkKyberPreKeyUsedAsync(2);
        await kyber.MarkKyberPreKeyUsedAsync(100);
        Assert.Equal(2, await kyber.CountUnusedOneTimeAsync());
        Assert.Equal(1, await kyber.RemoveUsedAsync());
        Assert.Equal([1u, 3u, 100u], await kyber.ListIdsAsync());
    }

    [Fact]
    public async Task Stale_one_time_keys_go_after_their_time_the_newest_are_kept_and_a_later_marking_keeps_the_first_time()
    {
        await using var t = await TestDatabase.OpenAsync();
        var stores = t.Db.ProtocolStores(AccountIdentity.Aci);
        var t0 = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        var t1 = t0.AddDays(10);
        for (uint id = 1; id <= 10; id++)
        {
            if (id == 6)
            {
                Assert.Equal(5, await stores.PreKeys.MarkAllStaleAsync(t0));
            }
            else if (id == 9)
            {
                // Only keys 6 to 8 are newly stale: 1 to 5 keep the time they were replaced first.
                Assert.Equal(3, await stores.PreKeys.MarkAllStaleAsync(t1));
            }

            await stores.PreKeys.StorePreKeyAsync(id, PreKeyRecord.Generate(id));
        }

        // Everything replaced before t1 is due, but the four newest stay: the fresh 9 and 10, then 8 and 7 (replaced last).
        Assert.Equal(6, await stores.PreKeys.RemoveStaleAsync(t1.AddMilliseconds(1), keep: 4));
        Assert.Equal([7u, 8u, 9u, 10u], await stores.PreKeys.ListIdsAsync());
        Assert.Equal(0, await stores.PreKeys.RemoveStaleAsync(t1, keep: 0));
        Assert.Equal(2, await stores.PreKeys.RemoveStaleAsync(t1.AddMilliseconds(1), keep: 0));
        Assert.Equal([9u, 10u], await stores.PreKeys.ListIdsAsync());

        // Kyber: only one-time keys are ever stale; the last-resort key has its own grace period.
        var identity = IdentityKeyPair.Generate();
        for (uint id = 1; id <= 3; id++)
        {
            await stores.KyberPreKeys.StoreKyberPreKeyAsync(id, KyberPreKeyRecord.Generate(identity, id));
        }

        await stores.KyberPreKeys.StoreLastResortKyberPreKeyAsync(100, KyberPreKeyRecord.Generate(identity, 100));
        Assert.Equal(3, await stores.KyberPreKeys.MarkAllOneTimeStaleAsync(t0));
        Assert.Equal(3, await stores.KyberPreKeys.RemoveStaleOneTimeAsync(t0.AddDays(1), keep: 0));
        Assert.Equal([100u], await stores.KyberPreKeys.ListIdsAsync());
    }

    [Fact]
    public async Task Everything_survives_reopening()
    {
        await using var t = await TestDatabase.OpenAsync();
        var own = IdentityKeyPair.Generate();
        var stores = t.Db.ProtocolStores(AccountIdentity.Aci);
        await stores.IdentityKeys.SetLocalIdentityAsync(own, 77);
        var session = await ProtocolRun.EstablishedSessionAsync();
        await stores.Sessions.StoreSessionAsync(Bob1, session);
        var signed = SignedPreKeyRecord.Generate(own, 5);
        await stores.SignedPreKeys.StoreSignedPreKeyAsync(5, signed);

        await t.ReopenAsync();
        stores = t.Db.ProtocolStores(AccountIdentity.Aci);
        Assert.Equal(own.Serialize(), (await stores.IdentityKeys.GetIdentityKeyPairAsync()).Serialize());
        Assert.Equal(77u, await stores.IdentityKeys.GetLocalRegistrationIdAsync());
        Assert.Equal(session.Serialize(), (await stores.Sessions.LoadSessionAsync(Bob1))!.Serialize());
        Assert.Equal(signed.Serialize(), (await stores.SignedPreKeys.LoadSignedPreKeyAsync(5)).Serialize());
    }
}
