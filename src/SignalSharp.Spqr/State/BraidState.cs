using SignalSharp.Spqr.Primitives;

namespace SignalSharp.Spqr.State;

/// <summary>The eleven chunked braid states; the numbers are the <c>V1State.inner_state</c> oneof tags.</summary>
internal enum BraidKind
{
    KeysUnsampled = 1,
    KeysSampled = 2,
    HeaderSent = 3,
    Ct1Received = 4,
    EkSentCt1Received = 5,
    NoHeaderReceived = 6,
    HeaderReceived = 7,
    Ct1Sampled = 8,
    EkReceivedCt1Sampled = 9,
    Ct1Acknowledged = 10,
    Ct2Sampled = 11,
}

/// <summary>A stored <c>PolynomialEncoder</c>: next chunk index and either the raw points or the coefficients.</summary>
internal sealed record EncoderData(uint Index, IReadOnlyList<byte[]> Points, IReadOnlyList<byte[]> Polys);

/// <summary>A stored <c>PolynomialDecoder</c>; <see cref="Polys"/> is always written as 16.</summary>
internal sealed record DecoderData(uint PointsNeeded, uint Polys, IReadOnlyList<byte[]> Points, bool IsComplete);

/// <summary>
/// One braid state as stored: the kind, the unchunked fields that kind carries (others empty) and its encoder and/or
/// decoder. A flat record keeps the codec and the state machine simple; <see cref="BraidLayout"/> says which field
/// belongs to which kind.
/// </summary>
internal sealed record BraidState(BraidKind Kind, ulong Epoch, Authenticator? Auth)
{
    public byte[] Hdr { get; init; } = [];
    public byte[] Ek { get; init; } = [];
    public byte[] Dk { get; init; } = [];
    public byte[] Ct1 { get; init; } = [];
    public byte[] Es { get; init; } = [];
    public EncoderData? Encoder { get; init; }
    public DecoderData? Decoder { get; init; }

    /// <summary>True when the wrapped unchunked message (<c>uc</c>) was present in the stored bytes.</summary>
    public bool HasUnchunked { get; init; } = true;

    public Authenticator RequireAuth => Auth ?? throw new SpqrException(SpqrError.StateDecode);
}

/// <summary>Which unchunked bytes field, encoder and decoder each kind stores, with their protobuf tags.</summary>
internal static class BraidLayout
{
    public enum Field
    {
        Hdr,
        Ek,
        Dk,
        Ct1,
        Es,
    }

    public static (int Tag, Field Field)[] UnchunkedFields(BraidKind kind) => kind switch
    {
        BraidKind.KeysSampled => [(3, Field.Ek), (4, Field.Dk)],
        BraidKind.HeaderSent => [(3, Field.Dk)],
        BraidKind.Ct1Received or BraidKind.EkSentCt1Received => [(3, Field.Dk), (4, Field.Ct1)],
        BraidKind.HeaderReceived => [(3, Field.Hdr)],
        BraidKind.Ct1Sampled or BraidKind.Ct1Acknowledged => [(3, Field.Hdr), (4, Field.Es), (5, Field.Ct1)],
        BraidKind.EkReceivedCt1Sampled => [(3, Field.Es), (4, Field.Ek), (5, Field.Ct1)],
        _ => [],
    };

    /// <summary>Tag of the encoder in the chunked message, or 0 when the kind has none.</summary>
    public static int EncoderTag(BraidKind kind) => kind switch
    {
        BraidKind.KeysSampled or BraidKind.HeaderSent or BraidKind.Ct1Received or BraidKind.Ct1Sampled
            or BraidKind.EkReceivedCt1Sampled or BraidKind.Ct2Sampled => 2,
        _ => 0,
    };

    /// <summary>Tag of the decoder in the chunked message, or 0 when the kind has none.</summary>
    public static int DecoderTag(BraidKind kind) => kind switch
    {
        BraidKind.HeaderSent or BraidKind.EkSentCt1Received or BraidKind.Ct1Sampled => 3,
        BraidKind.NoHeaderReceived or BraidKind.HeaderReceived or BraidKind.Ct1Acknowledged => 2,
        _ => 0,
    };

    public static int ExpectedLength(Field field) => field switch
    {
        Field.Hdr => 64,
        Field.Ek => 1152,
        Field.Dk => 2400,
        Field.Ct1 => 960,
        _ => 2080,
    };

    public static byte[] Get(BraidState state, Field field) => field switch
    {
        Field.Hdr => state.Hdr,
        Field.Ek => state.Ek,
        Field.Dk => state.Dk,
        Field.Ct1 => state.Ct1,
        _ => state.Es,
    };

    public static BraidState Set(BraidState state, Field field, byte[] value) => field switch
    {
        Field.Hdr => state with { Hdr = value },
        Field.Ek => state with { Ek = value },
        Field.Dk => state with { Dk = value },
        Field.Ct1 => state with { Ct1 = value },
        _ => state with { Es = value },
    };
}
