using SignalSharp.Spqr.Encoding;
using SignalSharp.Spqr.Kem;
using SignalSharp.Spqr.Primitives;
using SignalSharp.Spqr.State;
using SignalSharp.Spqr.Wire;

namespace SignalSharp.Spqr.Braid;

/// <summary>The receive half of the braid: epoch rules first, then the payload each state accepts.</summary>
internal static partial class BraidMachine
{
    public static BraidRecv Recv(LiveBraid live, SpqrMessage msg)
    {
        var s = live.State;
        if (msg.Epoch > s.Epoch)
        {
            // Only the ciphertext sender may be pulled into the next epoch, by its peer's first message of it.
            if (s.Kind == BraidKind.Ct2Sampled && msg.Epoch == s.Epoch + 1)
            {
                return new BraidRecv(new BraidState(BraidKind.KeysUnsampled, msg.Epoch, s.Auth), null);
            }

            throw new SpqrException(SpqrError.EpochOutOfRange, msg.Epoch);
        }

        if (msg.Epoch < s.Epoch)
        {
            return new BraidRecv(s, null);
        }

        return s.Kind switch
        {
            BraidKind.KeysSampled when msg.Type == PayloadType.Ct1 => KeysSampledGotCt1(live, msg.Chunk!.Value),
            BraidKind.HeaderSent when msg.Type == PayloadType.Ct1 => HeaderSentGotCt1(live, msg.Chunk!.Value),
            BraidKind.Ct1Received when msg.Type == PayloadType.Ct2 => Ct1ReceivedGotCt2(live, msg.Chunk!.Value),
            BraidKind.EkSentCt1Received when msg.Type == PayloadType.Ct2 => EkSentGotCt2(live, msg.Chunk!.Value),
            BraidKind.NoHeaderReceived when msg.Type == PayloadType.Hdr => NoHeaderGotHdr(live, msg.Chunk!.Value),
            BraidKind.Ct1Sampled when msg.Type is PayloadType.Ek or PayloadType.EkCt1Ack =>
                Ct1SampledGotEk(live, msg.Chunk!.Value, msg.Type == PayloadType.EkCt1Ack),
            BraidKind.EkReceivedCt1Sampled when msg.Type is PayloadType.Ct1Ack or PayloadType.EkCt1Ack =>
                new BraidRecv(SendCt2(s.Epoch, s.RequireAuth, s.Ek, s.Es, s.Ct1), null),
            BraidKind.Ct1Acknowledged when msg.Type is PayloadType.Ek or PayloadType.EkCt1Ack =>
                Ct1AcknowledgedGotEk(live, msg.Chunk!.Value),
            _ => new BraidRecv(s, null),
        };
    }

    private static BraidRecv KeysSampledGotCt1(LiveBraid live, Chunk chunk)
    {
        var s = live.State;
        var ct1 = new PolyDecoder(LiveBraid.Ciphertext1Size);
        ct1.AddChunk(chunk.Index, chunk.Data);
        var next = new BraidState(BraidKind.HeaderSent, s.Epoch, s.Auth) { Dk = s.Dk };
        return new BraidRecv(LiveBraid.Store(next, LiveBraid.ToData(new PolyEncoder(s.Ek)), LiveBraid.ToData(ct1)), null);
    }

    private static BraidRecv HeaderSentGotCt1(LiveBraid live, Chunk chunk)
    {
        var s = live.State;
        var decoder = live.Decoder;
        decoder.AddChunk(chunk.Index, chunk.Data);
        if (decoder.TryDecode() is not { } ct1)
        {
            return new BraidRecv(LiveBraid.Store(s, live.EncoderData, LiveBraid.ToData(decoder)), null);
        }

        var next = new BraidState(BraidKind.Ct1Received, s.Epoch, s.Auth) { Dk = s.Dk, Ct1 = ct1 };
        return new BraidRecv(LiveBraid.Store(next, live.EncoderData, null), null);
    }

    private static BraidRecv Ct1ReceivedGotCt2(LiveBraid live, Chunk chunk)
    {
        var s = live.State;
        var ct2 = new PolyDecoder(LiveBraid.Ciphertext2Size + LiveBraid.MacSize);
        ct2.AddChunk(chunk.Index, chunk.Data);
        var next = new BraidState(BraidKind.EkSentCt1Received, s.Epoch, s.Auth) { Dk = s.Dk, Ct1 = s.Ct1 };
        return new BraidRecv(LiveBraid.Store(next, null, LiveBraid.ToData(ct2)), null);
    }

    private static BraidRecv EkSentGotCt2(LiveBraid live, Chunk chunk)
    {
        var s = live.State;
        var decoder = live.Decoder;
        decoder.AddChunk(chunk.Index, chunk.Data);
        if (decoder.TryDecode() is not { } decoded)
        {
            return new BraidRecv(LiveBraid.Store(s, null, LiveBraid.ToData(decoder)), null);
        }

        var ct2 = decoded.AsSpan(0, LiveBraid.Ciphertext2Size);
        var mac = decoded.AsSpan(LiveBraid.Ciphertext2Size);
        var shared = IncrementalMlKem768.Decaps(s.Dk, s.Ct1, ct2);
        var secret = SpqrKdf.EpochSecret(shared, s.Epoch);
        var auth = s.RequireAuth.Update(s.Epoch, secret);
        auth.VerifyCiphertext(s.Epoch, s.Ct1, ct2, mac);
        var next = new BraidState(BraidKind.NoHeaderReceived, s.Epoch + 1, auth);
        var hdr = new PolyDecoder(LiveBraid.HeaderSize + LiveBraid.MacSize);
        return new BraidRecv(LiveBraid.Store(next, null, LiveBraid.ToData(hdr)), new EpochSecret(s.Epoch, secret));
    }

    private static BraidRecv NoHeaderGotHdr(LiveBraid live, Chunk chunk)
    {
        var s = live.State;
        var decoder = live.Decoder;
        decoder.AddChunk(chunk.Index, chunk.Data);
        if (decoder.TryDecode() is not { } decoded)
        {
            return new BraidRecv(LiveBraid.Store(s, null, LiveBraid.ToData(decoder)), null);
        }

        var hdr = decoded.AsSpan(0, LiveBraid.HeaderSize).ToArray();
        s.RequireAuth.VerifyHeader(s.Epoch, hdr, decoded.AsSpan(LiveBraid.HeaderSize));
        var next = new BraidState(BraidKind.HeaderReceived, s.Epoch, s.Auth) { Hdr = hdr };
        return new BraidRecv(LiveBraid.Store(next, null, LiveBraid.ToData(new PolyDecoder(LiveBraid.EncapsulationKeySize))), null);
    }

    private static BraidRecv Ct1SampledGotEk(LiveBraid live, Chunk chunk, bool ct1Acknowledged)
    {
        var s = live.State;
        var decoder = live.Decoder;
        decoder.AddChunk(chunk.Index, chunk.Data);
        if (decoder.TryDecode() is { } ek)
        {
            RequireMatchingKey(ek, s.Hdr);
            if (ct1Acknowledged)
            {
                return new BraidRecv(SendCt2(s.Epoch, s.RequireAuth, ek, s.Es, s.Ct1), null);
            }

            var sending = new BraidState(BraidKind.EkReceivedCt1Sampled, s.Epoch, s.Auth) { Es = s.Es, Ek = ek, Ct1 = s.Ct1 };
            return new BraidRecv(LiveBraid.Store(sending, live.EncoderData, null), null);
        }

        if (ct1Acknowledged)
        {
            var acknowledged = s with { Kind = BraidKind.Ct1Acknowledged };
            return new BraidRecv(LiveBraid.Store(acknowledged, null, LiveBraid.ToData(decoder)), null);
        }

        return new BraidRecv(LiveBraid.Store(s, live.EncoderData, LiveBraid.ToData(decoder)), null);
    }

    private static BraidRecv Ct1AcknowledgedGotEk(LiveBraid live, Chunk chunk)
    {
        var s = live.State;
        var decoder = live.Decoder;
        decoder.AddChunk(chunk.Index, chunk.Data);
        if (decoder.TryDecode() is not { } ek)
        {
            return new BraidRecv(LiveBraid.Store(s, null, LiveBraid.ToData(decoder)), null);
        }

        RequireMatchingKey(ek, s.Hdr);
        return new BraidRecv(SendCt2(s.Epoch, s.RequireAuth, ek, s.Es, s.Ct1), null);
    }

    private static void RequireMatchingKey(byte[] ek, byte[] hdr)
    {
        if (!IncrementalMlKem768.EncapsulationKeyMatchesHeader(ek, hdr))
        {
            throw new SpqrException(SpqrError.ErroneousDataReceived);
        }
    }

    /// <summary>Finishes encapsulation and starts sending ct2 ‖ MAC (spqr's <c>send_ct2</c>).</summary>
    private static BraidState SendCt2(ulong epoch, Authenticator auth, byte[] ek, byte[] es, byte[] ct1)
    {
        var ct2 = IncrementalMlKem768.Encaps2(ek, es);
        var mac = auth.MacCiphertext(epoch, ct1, ct2);
        var encoder = new PolyEncoder([.. ct2, .. mac]);
        return LiveBraid.Store(new BraidState(BraidKind.Ct2Sampled, epoch, auth), LiveBraid.ToData(encoder), null);
    }
}
