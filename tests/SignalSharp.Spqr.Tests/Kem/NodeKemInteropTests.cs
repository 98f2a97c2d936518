using System.Buffers.Binary;
using System.Security.Cryptography;
using SignalSharp.Interop.Testing;
using SignalSharp.Spqr.Kem;
using SignalSharp.Spqr.Tests.Encoding;

namespace SignalSharp.Spqr.Tests.Kem;

/// <summary>
/// Split ML-KEM-768 against the libcrux bytes libsignal 0.100.0 stores: Alice's keys, Bob's encapsulation state,
/// ct1 and ct2, and the authenticator Bob derives from the shared secret.
/// </summary>
public sealed class NodeKemInteropTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    private const int KeysSampled = 2;
    private const int HeaderReceived = 7;
    private const int Ct1Sampled = 8;
    private const int Ct2Sampled = 11;

    [Fact]
    public async Task EncapsulationMatchesLibcruxThroughAWholeEpoch()
    {
        var steps = await NodeSpqrTrace.RunAsync(await fixture.GetAsync(), string.Concat(Enumerable.Repeat("AB", 46)));

        // Alice's keys (KeysSampled wraps the unchunked HeaderSent {3 ek, 4 dk}) and the header she sends.
        var aliceKeys = Unchunked(steps.Select(s => s.Alice), KeysSampled);
        var ek = Proto.Bytes(aliceKeys, 3)!;
        var dk = Proto.Bytes(aliceKeys, 4)!;
        Assert.Equal(1152, ek.Length);
        Assert.Equal(2400, dk.Length);

        // Bob's Ct1Sampled wraps Ct1Sent {3 hdr, 4 es, 5 ct1}.
        var bobCt1 = Unchunked(steps.Select(s => s.Bob), Ct1Sampled);
        var header = Proto.Bytes(bobCt1, 3)!;
        var nodeEs = Proto.Bytes(bobCt1, 4)!;
        var nodeCt1 = Proto.Bytes(bobCt1, 5)!;
        Assert.True(IncrementalMlKem768.EncapsulationKeyMatchesHeader(ek, header));
        Assert.Equal(dk.AsSpan(1152, 1152).ToArray(), ek);

        // Re-running encaps1 with node's randomness m gives node's ct1 and its encapsulation state byte for byte.
        var m = nodeEs.AsSpan(2048).ToArray();
        var ours = IncrementalMlKem768.Encaps1(header, m);
        Assert.Equal(Convert.ToHexString(nodeCt1), Convert.ToHexString(ours.Ct1));
        for (int i = 0; i < 1024; i++)
        {
            int theirs = BinaryPrimitives.ReadInt16LittleEndian(nodeEs.AsSpan(2 * i));
            int mine = BinaryPrimitives.ReadInt16LittleEndian(ours.EncapsState2080.AsSpan(2 * i));
            Assert.InRange(theirs, -3328, 3328);
            Assert.Equal(0, (((theirs - mine) % 3329) + 3329) % 3329);
        }

        Assert.False(IncrementalMlKem768.HasLibcrux1275ByteOrder(nodeEs));
        Assert.Equal(Convert.ToHexString(nodeEs), Convert.ToHexString(ours.EncapsState2080));

        // ct2: node's Ct2Sampled encoder holds ct2 ‖ mac; ours from node's state and from ours must both match.
        var (_, ct2State) = Find(steps.Select(s => s.Bob), Ct2Sampled);
        var ct2AndMac = NodeSpqrTrace.MessageFromPoints(NodeSpqrTrace.Encoder(Proto.Bytes(ct2State, 2)!).Points);
        var nodeCt2 = ct2AndMac.AsSpan(0, 128).ToArray();
        Assert.Equal(nodeCt2, IncrementalMlKem768.Encaps2(ek, nodeEs));
        Assert.Equal(nodeCt2, IncrementalMlKem768.Encaps2(ek, ours.EncapsState2080));

        // A libcrux state stored with the #1275 byte order still gives the right ct2.
        var swapped = (byte[])nodeEs.Clone();
        for (int i = 0; i < 2048; i += 2)
        {
            (swapped[i], swapped[i + 1]) = (swapped[i + 1], swapped[i]);
        }

        Assert.Equal(nodeCt2, IncrementalMlKem768.Encaps2(ek, swapped));

        // Decapsulating with Alice's dk recovers the secret our encaps1 derived...
        Assert.Equal(ours.SharedSecret32, IncrementalMlKem768.Decaps(dk, nodeCt1, nodeCt2));

        // ...and that secret is libcrux's: it reproduces the authenticator Bob stored after encapsulating.
        var authBefore = Proto.Bytes(Unchunked(steps.Select(s => s.Bob), HeaderReceived), 2)!;
        var authAfter = Proto.Bytes(bobCt1, 2)!;
        var epochSecret = Hkdf(ours.SharedSecret32, Label("Signal_PQCKA_V1_MLKEM768:SCKA Key", 1), 32);
        var updated = Hkdf([.. Proto.Bytes(authBefore, 1)!, .. epochSecret], Label("Signal_PQCKA_V1_MLKEM768:Authenticator Update", 1), 64);
        Assert.Equal(updated.AsSpan(0, 32).ToArray(), Proto.Bytes(authAfter, 1));
        Assert.Equal(updated.AsSpan(32).ToArray(), Proto.Bytes(authAfter, 2));
    }

    private static (int Case, byte[] Body) Find(IEnumerable<byte[]> states, int wanted) =>
        states.Where(s => s.Length > 0 && Proto.Bytes(s, 3) is not null)
            .Select(NodeSpqrTrace.V1State)
            .First(v => v.Case == wanted);

    private static byte[] Unchunked(IEnumerable<byte[]> states, int wanted) => Proto.Bytes(Find(states, wanted).Body, 1)!;

    private static byte[] Label(string text, ulong epoch)
    {
        var label = System.Text.Encoding.ASCII.GetBytes(text);
        var info = new byte[label.Length + 8];
        label.CopyTo(info, 0);
        BinaryPrimitives.WriteUInt64BigEndian(info.AsSpan(label.Length), epoch);
        return info;
    }

    private static byte[] Hkdf(byte[] ikm, byte[] info, int length) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, length, new byte[32], info);
}
