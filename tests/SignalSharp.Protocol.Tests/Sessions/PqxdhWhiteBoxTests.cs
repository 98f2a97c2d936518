using Google.Protobuf;
using SignalSharp.Crypto;
using SignalSharp.Interop.Testing;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.Ratchet;
using SignalSharp.Protocol.Sessions;

namespace SignalSharp.Protocol.Tests.Sessions;

/// <summary>
/// PQXDH key agreement against libsignal without SPQR: node's Alice starts a session with node's Bob; C# plays Bob
/// from his private keys and must derive exactly the root key, chain key and SPQR auth key in Alice's record.
/// </summary>
public sealed class PqxdhWhiteBoxTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    private static readonly ProtocolAddress Alice = new("4f1e2d3c-1111-4a4a-8b8b-0123456789ab", 1);
    private static readonly ProtocolAddress Bob = new("5e2f3a4b-2222-4b5b-9c9c-abcdef012345", 2);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Responder_keys_equal_the_initiators_session_record(bool withOneTimePreKey)
    {
        var node = new NodeSessions(await fixture.GetAsync());
        await node.NewPartyAsync("wb-alice", Alice);
        await node.NewPartyAsync("wb-bob", Bob);
        var (bundle, json) = await node.BundleAsync("wb-bob", withOneTimePreKey);
        await node.ProcessBundleAsync("wb-alice", Bob, bundle);
        var message = Assert.IsType<PreKeySignalMessage>((await node.EncryptAsync("wb-alice", Bob, [[1, 2, 3]]))[0]);
        var aliceRecord = SessionRecord.Deserialize((await node.RecordAsync("wb-alice", Bob))!);

        var secrets = json["secrets"]!;
        var bobIdentityPrivate = ECPrivateKey.Deserialize(NodeSessions.Bytes(secrets["identityPrivate"]));
        var bobIdentity = new IdentityKeyPair(bundle.IdentityKey, bobIdentityPrivate);
        var signedPrivate = ECPrivateKey.Deserialize(NodeSessions.Bytes(secrets["signedPreKeyPrivate"]));
        ECKeyPair? oneTime = null;
        if (withOneTimePreKey)
        {
            var oneTimePrivate = ECPrivateKey.Deserialize(NodeSessions.Bytes(secrets["preKeyPrivate"]));
            oneTime = new ECKeyPair(oneTimePrivate.GetPublicKey(), oneTimePrivate);
            Assert.Equal(bundle.PreKeyId, message.PreKeyId);
        }
        else
        {
            Assert.Null(message.PreKeyId);
        }

        var keys = Pqxdh.Accept(
            bobIdentity,
            new ECKeyPair(signedPrivate.GetPublicKey(), signedPrivate),
            oneTime,
            KemSecretKey.Deserialize(NodeSessions.Bytes(secrets["kyberSecret"])),
            message.IdentityKey,
            message.BaseKey,
            message.KyberCiphertext!);

        var alice = aliceRecord.CurrentState!;
        // Alice's first receiving chain is Bob's signed prekey with the PQXDH chain key.
        Assert.Equal(keys.ChainKey.Key, alice.GetReceiverChainKey(bundle.SignedPreKeyPublic.Serialize())!.Key);
        // Her root and sending chain come from one DH step on the PQXDH root key with her first ratchet key.
        var (root, sendingChain) = keys.RootKey.CreateChain(bundle.SignedPreKeyPublic, alice.SenderRatchetPrivateKey);
        Assert.Equal(root.Key, alice.RootKey.Key);
        Assert.Equal(sendingChain.Next().Key, alice.SenderChainKey.Key);
        Assert.Equal(1u, alice.SenderChainKey.Index);
        // The SPQR auth key is stored in version_negotiation.auth_key of the PqRatchetState.
        Assert.Equal(keys.SpqrAuthKey, ReadSpqrAuthKey(alice.PqRatchetState));
        Assert.Equal(message.BaseKey.Serialize(), alice.AliceBaseKey.ToByteArray());
    }

    [Fact]
    public async Task A_different_kyber_secret_gives_different_keys()
    {
        var node = new NodeSessions(await fixture.GetAsync());
        await node.NewPartyAsync("wb2-alice", Alice);
        await node.NewPartyAsync("wb2-bob", Bob);
        var (bundle, json) = await node.BundleAsync("wb2-bob", withOneTimePreKey: false);
        await node.ProcessBundleAsync("wb2-alice", Bob, bundle);
        var message = Assert.IsType<PreKeySignalMessage>((await node.EncryptAsync("wb2-alice", Bob, [[1]]))[0]);
        var aliceRecord = SessionRecord.Deserialize((await node.RecordAsync("wb2-alice", Bob))!);
        var secrets = json["secrets"]!;
        var signedPrivate = ECPrivateKey.Deserialize(NodeSessions.Bytes(secrets["signedPreKeyPrivate"]));

        var keys = Pqxdh.Accept(
            new IdentityKeyPair(bundle.IdentityKey, ECPrivateKey.Deserialize(NodeSessions.Bytes(secrets["identityPrivate"]))),
            new ECKeyPair(signedPrivate.GetPublicKey(), signedPrivate),
            null,
            KemKeyPair.Generate().SecretKey,
            message.IdentityKey,
            message.BaseKey,
            message.KyberCiphertext!);

        Assert.NotEqual(keys.ChainKey.Key, aliceRecord.CurrentState!.GetReceiverChainKey(bundle.SignedPreKeyPublic.Serialize())!.Key);
    }

    /// <summary>PqRatchetState field 1 (version_negotiation) → field 1 (auth_key).</summary>
    internal static byte[] ReadSpqrAuthKey(ReadOnlySpan<byte> pqRatchetState)
    {
        var outer = new CodedInputStream(pqRatchetState.ToArray());
        while (!outer.IsAtEnd)
        {
            var tag = outer.ReadTag();
            if (WireFormat.GetTagFieldNumber(tag) == 1)
            {
                var inner = new CodedInputStream(outer.ReadBytes().ToByteArray());
                while (!inner.IsAtEnd)
                {
                    var innerTag = inner.ReadTag();
                    if (WireFormat.GetTagFieldNumber(innerTag) == 1)
                    {
                        return inner.ReadBytes().ToByteArray();
                    }

                    inner.SkipLastField();
                }
            }
            else
            {
                outer.SkipLastField();
            }
        }

        throw new InvalidOperationException("no auth key in SPQR state");
    }

}
