using SignalSharp.Spqr.Encoding;
using SignalSharp.Spqr.State;

namespace SignalSharp.Spqr.Braid;

/// <summary>
/// A stored braid state checked the way spqr's <c>from_pb</c> checks it, with its encoder and decoder rebuilt.
/// The record stays the source of truth; <see cref="Store"/> writes the live coders back into it.
/// </summary>
internal sealed record LiveBraid(BraidState State, PolyEncoder? Encoder, PolyDecoder? Decoder)
{
    public const int HeaderSize = 64;
    public const int EncapsulationKeySize = 1152;
    public const int Ciphertext1Size = 960;
    public const int Ciphertext2Size = 128;
    public const int MacSize = 32;

    public static LiveBraid Load(BraidState state)
    {
        var kind = state.Kind;
        if (state.Decoder is { } d && ExpectedPointsNeeded(kind) is { } needed && d.PointsNeeded != needed)
        {
            // spqr reports this particular inconsistency as a message decode error; copied for fidelity.
            throw new SpqrException(SpqrError.MsgDecode);
        }

        if (!state.HasUnchunked || state.Auth is null)
        {
            throw new SpqrException(SpqrError.StateDecode);
        }

        foreach (var (_, field) in BraidLayout.UnchunkedFields(kind))
        {
            if (BraidLayout.Get(state, field).Length != BraidLayout.ExpectedLength(field))
            {
                throw new SpqrException(SpqrError.StateDecode);
            }
        }

        PolyEncoder? encoder = null;
        PolyDecoder? decoder = null;
        try
        {
            if (BraidLayout.EncoderTag(kind) != 0)
            {
                var e = state.Encoder ?? throw new SpqrException(SpqrError.StateDecode);
                encoder = PolyEncoder.FromState(e.Index, e.Points, e.Polys);
            }

            if (BraidLayout.DecoderTag(kind) != 0)
            {
                var dd = state.Decoder ?? throw new SpqrException(SpqrError.StateDecode);
                decoder = PolyDecoder.FromState(dd.PointsNeeded, dd.Points, dd.IsComplete);
            }
        }
        catch (FormatException e)
        {
            throw new SpqrException(SpqrError.StateDecode, e);
        }

        return new LiveBraid(state, encoder, decoder);
    }

    /// <summary>The stored form of a state with the given live coders (null for the kinds that have none).</summary>
    public static BraidState Store(BraidState state, PolyEncoder? encoder, PolyDecoder? decoder) => state with
    {
        Encoder = encoder is null ? null : new EncoderData(encoder.NextIndex, encoder.Points, encoder.Polys),
        Decoder = decoder is null ? null : new DecoderData(decoder.PointsNeeded, PolyEncoder.PolyCount, decoder.Points, decoder.IsComplete),
    };

    private static uint? ExpectedPointsNeeded(BraidKind kind) => kind switch
    {
        BraidKind.HeaderSent => Ciphertext1Size / 2,
        BraidKind.EkSentCt1Received => (Ciphertext2Size + MacSize) / 2,
        BraidKind.NoHeaderReceived => (HeaderSize + MacSize) / 2,
        BraidKind.HeaderReceived or BraidKind.Ct1Sampled or BraidKind.Ct1Acknowledged => EncapsulationKeySize / 2,
        _ => null,
    };
}
