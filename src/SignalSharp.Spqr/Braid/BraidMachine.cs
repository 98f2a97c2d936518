using System.Security.Cryptography;
using SignalSharp.Spqr.Encoding;
using SignalSharp.Spqr.Kem;
using SignalSharp.Spqr.Primitives;
using SignalSharp.Spqr.State;
using SignalSharp.Spqr.Wire;

namespace SignalSharp.Spqr.Braid;

/// <summary>A secret the braid agreed for <see cref="Epoch"/>; the chain adds it as chain epoch <see cref="Epoch"/>.</summary>
internal sealed record EpochSecret(ulong Epoch, byte[] Secret);

/// <summary>What one braid send produced: the next state, the payload to carry, and a new epoch secret if any.</summary>
internal sealed record BraidSend(BraidState State, ulong Epoch, PayloadType Type, Chunk? Chunk, EpochSecret? Secret);

/// <summary>What one braid receive produced: the next state and a new epoch secret if any.</summary>
internal sealed record BraidRecv(BraidState State, EpochSecret? Secret);

/// <summary>
/// The chunked ML-KEM braid (spqr <c>v1/chunked/states.rs</c>): both roles, eleven states. Pure functions of
/// (state, message) except key generation and encapsulation, which draw from the supplied RNG.
/// </summary>
internal static partial class BraidMachine
{
    public static BraidState InitialA2B(ReadOnlySpan<byte> authKey) =>
        new(BraidKind.KeysUnsampled, 1, Authenticator.Create(authKey, 1));

    public static BraidState InitialB2A(ReadOnlySpan<byte> authKey) => LiveBraid.Store(
        new BraidState(BraidKind.NoHeaderReceived, 1, Authenticator.Create(authKey, 1)),
        null,
        LiveBraid.ToData(new PolyDecoder(LiveBraid.HeaderSize + LiveBraid.MacSize)));

    public static BraidSend Send(LiveBraid live, RandomNumberGenerator rng)
    {
        var s = live.State;
        var epoch = s.Epoch;
        switch (s.Kind)
        {
            case BraidKind.KeysUnsampled:
            {
                Span<byte> seed = stackalloc byte[64];
                rng.GetBytes(seed);
                var keys = IncrementalMlKem768.Generate(seed);
                CryptographicOperations.ZeroMemory(seed);
                var mac = s.RequireAuth.MacHeader(epoch, keys.Header64);
                var encoder = new PolyEncoder([.. keys.Header64, .. mac]);
                var chunk = Next(encoder);
                var next = new BraidState(BraidKind.KeysSampled, epoch, s.Auth) { Ek = keys.EncapsulationKey1152, Dk = keys.DecapsulationKey2400 };
                return new BraidSend(LiveBraid.Store(next, LiveBraid.ToData(encoder), null), epoch, PayloadType.Hdr, chunk, null);
            }

            case BraidKind.KeysSampled:
                return Chunked(live, PayloadType.Hdr);
            case BraidKind.HeaderSent:
                return Chunked(live, PayloadType.Ek);
            case BraidKind.Ct1Received:
                return Chunked(live, PayloadType.EkCt1Ack);
            case BraidKind.EkSentCt1Received:
                return new BraidSend(s, epoch, PayloadType.Ct1Ack, null, null);
            case BraidKind.NoHeaderReceived or BraidKind.Ct1Acknowledged:
                return new BraidSend(s, epoch, PayloadType.None, null, null);

            case BraidKind.HeaderReceived:
            {
                Span<byte> m = stackalloc byte[32];
                rng.GetBytes(m);
                var encaps = IncrementalMlKem768.Encaps1(s.Hdr, m);
                CryptographicOperations.ZeroMemory(m);
                var secret = SpqrKdf.EpochSecret(encaps.SharedSecret32, epoch);
                var auth = s.RequireAuth.Update(epoch, secret);
                var encoder = new PolyEncoder(encaps.Ct1);
                var chunk = Next(encoder);
                var next = new BraidState(BraidKind.Ct1Sampled, epoch, auth) { Hdr = s.Hdr, Es = encaps.EncapsState2080, Ct1 = encaps.Ct1 };
                return new BraidSend(LiveBraid.Store(next, LiveBraid.ToData(encoder), live.DecoderData), epoch, PayloadType.Ct1, chunk, new EpochSecret(epoch, secret));
            }

            case BraidKind.Ct1Sampled or BraidKind.EkReceivedCt1Sampled:
                return Chunked(live, PayloadType.Ct1);
            case BraidKind.Ct2Sampled:
                return Chunked(live, PayloadType.Ct2);
            default:
                throw new SpqrException(SpqrError.StateDecode);
        }
    }

    /// <summary>Sends the encoder's next chunk and stays in the same state.</summary>
    private static BraidSend Chunked(LiveBraid live, PayloadType type)
    {
        var chunk = Next(live.Encoder);
        return new BraidSend(LiveBraid.Store(live.State, live.EncoderData, live.DecoderData), live.State.Epoch, type, chunk, null);
    }

    private static Chunk Next(PolyEncoder encoder)
    {
        var (index, data) = encoder.NextChunk();
        return new Chunk(index, data);
    }
}
