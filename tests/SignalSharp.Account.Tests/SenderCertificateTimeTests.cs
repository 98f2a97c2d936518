using Microsoft.Extensions.Logging.Abstractions;
using SignalSharp.Account.Receiving;
using SignalSharp.Crypto;
using SignalSharp.Protocol;
using SignalSharp.Protocol.SealedSender;
using SignalSharp.Store;
using SignalSharp.Store.Inbox;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.Tests;

/// <summary>
/// An incoming sender certificate is judged at the time the server took the message: a sealed message that waited on
/// the server while this device was off opens even though its certificate has expired since; one the server took
/// after the expiry does not.
/// </summary>
public sealed class SenderCertificateTimeTests
{
    [Fact]
    public async Task A_certificate_is_valid_when_it_was_valid_at_the_envelopes_server_timestamp()
    {
        var directory = Directory.CreateTempSubdirectory("signalsharp-cert-time-").FullName;
        try
        {
            await using var db = await AccountDatabase.OpenAsync(directory);
            var me = Guid.NewGuid();
            await db.ProtocolStores(AccountIdentity.Aci).IdentityKeys.SetLocalIdentityAsync(IdentityKeyPair.Generate(), 1234);
            var trustRoot = ECKeyPair.Generate();
            var processor = new EnvelopeProcessor(db, me, 2, null, [trustRoot.PublicKey], NullLogger.Instance);
            var alice = await SessionContact.CreateAsync(db, me, 2);

            var serverKey = ECKeyPair.Generate();
            var server = ServerCertificate.Create(1, serverKey.PublicKey, trustRoot.PrivateKey);
            var expired = (ulong)DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds();
            var certificate = SenderCertificate.Create(alice.Aci.ToString(), null, 1, alice.Identity.PublicKey, expired, server, serverKey.PrivateKey);

            var waited = await alice.SealedTextAsync(100, "sent yesterday", certificate, serverTimestamp: expired - 60_000);
            Assert.Equal(EnvelopeOutcome.Stored, await processor.ProcessAsync(waited, default));
            var late = await alice.SealedTextAsync(101, "sent after the expiry", certificate, serverTimestamp: expired + 60_000);
            Assert.Equal(EnvelopeOutcome.Failed, await processor.ProcessAsync(late, default));

            var items = await db.Inbox.TakeAsync(10);
            Assert.Equal("sent yesterday", items[0].Body);
            Assert.Equal(InboxStatus.MessageError, items[1].StatusCode);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
