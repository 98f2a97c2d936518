using SignalSharp.Protocol.Storage;

namespace SignalSharp.Protocol.Tests.Storage;

public sealed class StoreTests
{
    private static readonly ProtocolAddress Bob = new("bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb", 1);

    [Fact]
    public async Task Identity_store_trusts_on_first_use_and_never_silently_accepts_a_change()
    {
        var own = IdentityKeyPair.Generate();
        var store = new InMemoryIdentityKeyStore(own, 1234);
        Assert.Same(own, await store.GetIdentityKeyPairAsync());
        Assert.Equal(1234u, await store.GetLocalRegistrationIdAsync());

        var first = IdentityKeyPair.Generate().IdentityKey;
        var second = IdentityKeyPair.Generate().IdentityKey;
        Assert.Null(await store.GetIdentityAsync(Bob));
        Assert.True(await store.IsTrustedIdentityAsync(Bob, first, TrustDirection.Sending));
        Assert.Equal(IdentityChange.NewOrUnchanged, await store.SaveIdentityAsync(Bob, first));
        Assert.Equal(IdentityChange.NewOrUnchanged, await store.SaveIdentityAsync(Bob, IdentityKey.Deserialize(first.Serialize())));

        foreach (var direction in new[] { TrustDirection.Sending, TrustDirection.Receiving })
        {
            Assert.True(await store.IsTrustedIdentityAsync(Bob, first, direction));
            Assert.False(await store.IsTrustedIdentityAsync(Bob, second, direction));
        }

        // Still untrusted after asking again: only an explicit save changes trust.
        Assert.False(await store.IsTrustedIdentityAsync(Bob, second, TrustDirection.Receiving));
        Assert.Equal(first, await store.GetIdentityAsync(Bob));
        Assert.Equal(IdentityChange.ReplacedExisting, await store.SaveIdentityAsync(Bob, second));
        Assert.True(await store.IsTrustedIdentityAsync(Bob, second, TrustDirection.Sending));
        Assert.False(await store.IsTrustedIdentityAsync(Bob, first, TrustDirection.Sending));

        // Another device of the same name is its own address.
        Assert.Null(await store.GetIdentityAsync(Bob with { DeviceId = 2 }));
    }

    [Fact]
    public async Task Prekey_stores_load_store_remove_and_report_missing_ids()
    {
        var identity = IdentityKeyPair.Generate();
        var preKeys = new InMemoryPreKeyStore();
        var record = PreKeyRecord.Generate(5);
        await preKeys.StorePreKeyAsync(5, record);
        Assert.Same(record, await preKeys.LoadPreKeyAsync(5));
        await preKeys.RemovePreKeyAsync(5);
        var missing = await Assert.ThrowsAsync<InvalidKeyIdException>(() => preKeys.LoadPreKeyAsync(5));
        Assert.Equal((5u, PreKeyType.PreKey), (missing.KeyId, missing.Type));

        var signed = new InMemorySignedPreKeyStore();
        var signedRecord = SignedPreKeyRecord.Generate(identity, 7);
        await signed.StoreSignedPreKeyAsync(7, signedRecord);
        Assert.Same(signedRecord, await signed.LoadSignedPreKeyAsync(7));
        Assert.Equal(PreKeyType.SignedPreKey, (await Assert.ThrowsAsync<InvalidKeyIdException>(() => signed.LoadSignedPreKeyAsync(8))).Type);
    }

    [Fact]
    public async Task Kyber_store_deletes_one_time_keys_and_refuses_replays_of_last_resort_keys()
    {
        var identity = IdentityKeyPair.Generate();
        IKyberPreKeyStore store = new InMemoryKyberPreKeyStore();
        var concrete = (InMemoryKyberPreKeyStore)store;
        await store.StoreKyberPreKeyAsync(1, KyberPreKeyRecord.Generate(identity, 1));
        await concrete.StoreLastResortKyberPreKeyAsync(2, KyberPreKeyRecord.Generate(identity, 2));
        var baseKey = Crypto.ECKeyPair.Generate().PublicKey;

        await store.MarkKyberPreKeyUsedAsync(1, 7, baseKey);
        Assert.Equal(PreKeyType.KyberPreKey, (await Assert.ThrowsAsync<InvalidKeyIdException>(() => store.LoadKyberPreKeyAsync(1))).Type);

        await store.MarkKyberPreKeyUsedAsync(2, 7, baseKey);
        Assert.Equal(2u, (await store.LoadKyberPreKeyAsync(2)).Id);
        await Assert.ThrowsAsync<InvalidKeyIdException>(() => store.MarkKyberPreKeyUsedAsync(2, 7, baseKey));
        await store.MarkKyberPreKeyUsedAsync(2, 7, Crypto.ECKeyPair.Generate().PublicKey);
        Assert.True(concrete.Contains(2));
    }
}
