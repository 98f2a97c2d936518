using SignalSharp.Spqr.Encoding;
using SignalSharp.Spqr.State;

namespace SignalSharp.Spqr.Braid;

/// <summary>
/// A stored braid state checked the way spqr's <c>from_pb</c> checks it. The encoder and decoder are rebuilt only when
/// a transition touches them (most messages touch one or none), and untouched ones are written back as stored.
/// </summary>
internal sealed class LiveBraid
{
    public const int HeaderSize = 64;
    public const int EncapsulationKeySize = 1152;
    public const int Ciphertext1Size = 960;
    public const int Ciphertext2Size = 128;
    public const int MacSize = 32;

    private PolyEncoder? encoder;
    private PolyDecoder? decoder;

    private LiveBraid(BraidState state)
    {
        State = state;
    }

    public BraidState State { get; }

    public PolyEncoder Encoder => encoder ??= Build(() =>
    {
        var e = State.Encoder!;
        return PolyEncoder.FromState(e.Index, e.Points, e.Polys);
    });

    public PolyDecoder Decoder => decoder ??= Build(() =>
    {
        var d = State.Decoder!;
        return PolyDecoder.FromState(d.PointsNeeded, d.Points, d.IsComplete);
    });

    /// <summary>The encoder in stored form: as loaded if it was never used, else its current state.</summary>
    public EncoderData? EncoderData => encoder is null ? State.Encoder : ToData(encoder);

    /// <summary>The decoder in stored form: as loaded if it was never used, else its current state.</summary>
    public DecoderData? DecoderData => decoder is null ? State.Decoder : ToData(decoder);

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

        if ((BraidLayout.EncoderTag(kind) != 0 && !IsValid(state.Encoder)) || (BraidLayout.DecoderTag(kind) != 0 && !IsValid(state.Decoder)))
        {
            throw new SpqrException(SpqrError.StateDecode);
        }

        return new LiveBraid(state);
    }

    /// <summary>The stored form of a state with the given coders (null for the kinds that have none).</summary>
    public static BraidState Store(BraidState state, EncoderData? encoder, DecoderData? decoder) =>
        state with { Encoder = encoder, Decoder = decoder };

    public static EncoderData ToData(PolyEncoder encoder) => new(encoder.NextIndex, encoder.Points, encoder.Polys);

    public static DecoderData ToData(PolyDecoder decoder) =>
        new(decoder.PointsNeeded, PolyEncoder.PolyCount, decoder.Points, decoder.IsComplete);

    // The structural rules of spqr's PolyEncoder/PolyDecoder from_pb, checked without building the coders.
    private static bool IsValid(EncoderData? e) => e switch
    {
        null => false,
        { Points.Count: > 0 } => e.Polys.Count == 0 && e.Points.Count == PolyEncoder.PolyCount && e.Points.All(p => p.Length % 2 == 0),
        _ => e.Polys.Count == PolyEncoder.PolyCount && e.Polys.All(p => p.Length > 0 && p.Length % 2 == 0),
    };

    private static bool IsValid(DecoderData? d) =>
        d is not null && d.Points.Count == PolyEncoder.PolyCount && d.Points.All(p => p.Length % 4 == 0);

    private static T Build<T>(Func<T> build)
    {
        try
        {
            return build();
        }
        catch (FormatException e)
        {
            throw new SpqrException(SpqrError.StateDecode, e);
        }
    }

    private static uint? ExpectedPointsNeeded(BraidKind kind) => kind switch
    {
        BraidKind.HeaderSent => Ciphertext1Size / 2,
        BraidKind.EkSentCt1Received => (Ciphertext2Size + MacSize) / 2,
        BraidKind.NoHeaderReceived => (HeaderSize + MacSize) / 2,
        BraidKind.HeaderReceived or BraidKind.Ct1Sampled or BraidKind.Ct1Acknowledged => EncapsulationKeySize / 2,
        _ => null,
    };
}
