using CsCheck;
using SignalSharp.Crypto;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.SealedSender;
using SignalSharp.Protocol.SenderKeys;
using SignalSharp.Protocol.Storage;

namespace SignalSharp.Protocol.Tests.SealedSender;

/// <summary>
/// Whatever bytes arrive, parsers and decryptors fail with a typed <see cref="ProtocolException"/> (never a
/// protobuf, crypto or index error), and flipping any single bit of a sealed message makes it fail.
/// </summary>
public sealed class MalformedInputTests
{
    private static readonly Func<byte[], object>[] Parsers =
    [
        b => SenderKeyMessage.Deserialize(b),
        b => SenderKeyDistributionMessage.Deserialize(b),
        b => SenderCertificate.Deserialize(b),
        b => ServerCertificate.Deserialize(b),
        b => UnidentifiedSenderMessageContent.Deserialize(b),
        b => PlaintextContent.Deserialize(b),
        b => PlaintextContent.ExtractDecryptionErrorMessage(b),
        b => DecryptionErrorMessage.Deserialize(b),
        b => SenderKeyRecord.Deserialize(b),
    ];

    [Fact]
    public void Random_bytes_only_ever_raise_protocol_exceptions()
    {
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            foreach (var parse in Parsers)
            {
                try
                {
                    parse(bytes);
                }
                catch (ProtocolException)
                {
                }
            }
        }, iter: 3000);
    }

    [Fact]
    public async Task Random_envelopes_and_every_single_bit_flip_are_refused_with_typed_errors()
    {
        var recipient = IdentityKeyPair.Generate();
        var sender = IdentityKeyPair.Generate();
        var recipientStore = new InMemoryIdentityKeyStore(recipient, 1);
        var senderStore = new InMemoryIdentityKeyStore(sender, 2);
        var to = new ProtocolAddress(Guid.NewGuid().ToString(), 1);
        await senderStore.SaveIdentityAsync(to, recipient.IdentityKey);
        var ca = new CertificateAuthority();
        var content = new UnidentifiedSenderMessageContent(CiphertextMessageType.SenderKey,
            ca.Issue(Guid.NewGuid().ToString(), 1, sender.PublicKey), await SealedSenderV1InteropTests.SenderKeyMessageAsync(to));
        var opener = new SealedSenderCipher(recipientStore);

        var v1 = await new SealedSenderCipher(senderStore).EncryptAsync(to, content);
        var v2Sent = await new SealedSenderCipher(senderStore).MultiRecipientEncryptAsync(
            [new SealedSenderV2Recipient(to.Name, recipient.PublicKey, [(1u, 1u)])], content);
        var v2 = V2ForOnlyRecipient(v2Sent);
        Assert.Equal(content.Serialize(), (await opener.DecryptToUsmcAsync(v1)).Serialize());
        Assert.Equal(content.Serialize(), (await opener.DecryptToUsmcAsync(v2)).Serialize());

        foreach (var message in new[] { v1, v2 })
        {
            // A v1 version byte is not authenticated: libsignal, too, accepts a high nibble of 0 or 1 and ignores the low one.
            for (var bit = message[0] == 0x11 ? 8 : 0; bit < message.Length * 8; bit += 3)
            {
                var flipped = (byte[])message.Clone();
                flipped[bit / 8] ^= (byte)(1 << (bit % 8));
                var error = await Record.ExceptionAsync(() => opener.DecryptToUsmcAsync(flipped));
                Assert.True(error is ProtocolException, $"bit {bit} of {message.Length * 8} (0x{message[0]:x2}): {error?.GetType().Name ?? "accepted"}");
            }
        }

        var random = new Random(1234);
        for (var i = 0; i < 300; i++)
        {
            var bytes = new byte[random.Next(0, 200)];
            random.NextBytes(bytes);
            if (bytes.Length > 0)
            {
                bytes[0] = (byte)(i % 3 == 0 ? 0x11 : i % 3 == 1 ? 0x22 : bytes[0]);
            }

            await Assert.ThrowsAnyAsync<ProtocolException>(() => opener.DecryptToUsmcAsync(bytes));
        }
    }

    /// <summary>Cuts the single recipient's 0x22 message out of a one-recipient 0x23 SentMessage (the server's job).</summary>
    private static byte[] V2ForOnlyRecipient(byte[] sent)
    {
        Assert.Equal(0x23, sent[0]);
        Assert.Equal(1, sent[1]);
        var offset = 2 + 17 + 3;
        var wrapped = sent.AsSpan(offset, 48);
        var shared = sent.AsSpan(offset + 48);
        return [0x22, .. wrapped, .. shared];
    }
}
