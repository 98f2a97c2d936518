using Microsoft.Extensions.Logging.Abstractions;
using SignalSharp.Account.Api;
using SignalSharp.Account.Identities;
using SignalSharp.Account.Receiving;
using SignalSharp.Crypto;
using SignalSharp.Protocol;
using SignalSharp.Protocol.Fingerprints;
using SignalSharp.Protocol.Storage;
using SignalSharp.Store;
using SignalSharp.Store.Inbox;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.Tests;

/// <summary>
/// A contact's identity key changes (they reinstalled): the receive pipeline reports it with the new safety number,
/// the new key is not trusted for sending, and the user's trust (all known keys, or the compared safety number)
/// makes it trusted again; a wrong safety number trusts nothing.
/// </summary>
public sealed class IdentityChangeTests : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("signalsharp-identity-").FullName;
    private readonly Guid me = Guid.NewGuid();
    private AccountDatabase db = null!;
    private IdentityKeyPair myIdentity = null!;
    private EnvelopeProcessor processor = null!;

    public async Task InitializeAsync()
    {
        db = await AccountDatabase.OpenAsync(directory);
        myIdentity = IdentityKeyPair.Generate();
        await db.ProtocolStores(AccountIdentity.Aci).IdentityKeys.SetLocalIdentityAsync(myIdentity, 1234);
        processor = new EnvelopeProcessor(db, me, 2, null, [ECKeyPair.Generate().PublicKey], NullLogger.Instance);
    }

    public async Task DisposeAsync()
    {
        await db.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    private Task<bool> TrustedForSendingAsync(Guid aci, IdentityKey key) =>
        db.ProtocolStores(AccountIdentity.Aci).IdentityKeys.IsTrustedIdentityAsync(new ProtocolAddress(aci.ToString(), 1), key, TrustDirection.Sending);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_reinstalled_contact_is_reported_with_the_new_safety_number_and_is_untrusted_until_the_user_trusts_it(bool batch)
    {
        var alice = Guid.NewGuid();
        var before = await SessionContact.CreateAsync(db, me, 2, aci: alice);
        Assert.Equal(EnvelopeOutcome.Stored, await processor.ProcessAsync(await before.TextAsync(10, "first"), default));
        Assert.Single(await db.Inbox.TakeAsync(10));

        var newKeys = IdentityKeyPair.Generate();
        var after = await SessionContact.CreateAsync(db, me, 2, aci: alice, identity: newKeys);
        var envelope = await after.TextAsync(20, "reinstalled");
        if (batch)
        {
            Assert.Equal([EnvelopeOutcome.Stored], (await processor.TryProcessBatchAsync([envelope], default))!);
        }
        else
        {
            Assert.Equal(EnvelopeOutcome.Stored, await processor.ProcessAsync(envelope, default));
        }

        var items = await db.Inbox.TakeAsync(10);
        Assert.Equal([InboxItemKind.IdentityChange, InboxItemKind.Message], items.Select(i => i.Kind));
        var expected = Fingerprint.ForAcis(me, myIdentity.IdentityKey, alice, newKeys.IdentityKey).Displayable.Value;
        Assert.Equal(expected, items[0].Body);
        Assert.Equal(alice, items[0].Sender!.Aci);
        Assert.Equal("reinstalled", items[1].Body);
        Assert.False(await TrustedForSendingAsync(alice, newKeys.IdentityKey));

        var identities = new ContactIdentities(db, me);
        Assert.True(await identities.IsUntrustedAsync(alice, default));
        var listed = Assert.Single(await identities.ListAsync(null, default));
        Assert.Equal((alice.ToString(), expected, IdentityTrust.Untrusted), (listed.ServiceId.ToString(), listed.SafetyNumber, listed.Trust));

        // A safety number that is not the current one trusts nothing.
        var stale = Fingerprint.ForAcis(me, myIdentity.IdentityKey, alice, IdentityKeyPair.Generate().IdentityKey).Displayable.Value;
        await Assert.ThrowsAsync<SafetyNumberMismatchException>(() => identities.TrustAsync(alice, "Alice", new TrustVerifiedSafetyNumber(stale), default));
        Assert.False(await TrustedForSendingAsync(alice, newKeys.IdentityKey));

        // The compared number, as a phone shows it (in groups of five).
        var spaced = string.Join(' ', Enumerable.Range(0, 12).Select(i => expected.Substring(i * 5, 5)));
        var trusted = await identities.TrustAsync(alice, "Alice", new TrustVerifiedSafetyNumber(spaced), default);
        Assert.Equal(IdentityTrust.TrustedVerified, trusted.Trust);
        Assert.True(await TrustedForSendingAsync(alice, newKeys.IdentityKey));
        Assert.False(await identities.IsUntrustedAsync(alice, default));
    }

    [Fact]
    public async Task Trust_all_known_keys_accepts_the_stored_key_and_an_unknown_contact_has_nothing_to_trust()
    {
        var bob = Guid.NewGuid();
        var identities = new ContactIdentities(db, me);
        await Assert.ThrowsAsync<NoKnownIdentityException>(() => identities.TrustAsync(bob, "Bob", new TrustAllKnownKeys(), default));

        var first = await SessionContact.CreateAsync(db, me, 2, aci: bob);
        await processor.ProcessAsync(await first.TextAsync(1, "hi"), default);
        var second = IdentityKeyPair.Generate();
        await processor.ProcessAsync(await (await SessionContact.CreateAsync(db, me, 2, aci: bob, identity: second)).TextAsync(2, "new phone"), default);
        Assert.False(await TrustedForSendingAsync(bob, second.IdentityKey));

        Assert.Equal(IdentityTrust.TrustedUnverified, (await identities.TrustAsync(bob, "Bob", new TrustAllKnownKeys(), default)).Trust);
        Assert.True(await TrustedForSendingAsync(bob, second.IdentityKey));
    }
}
