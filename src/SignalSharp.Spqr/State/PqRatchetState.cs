using SignalSharp.Spqr.Chains;

namespace SignalSharp.Spqr.State;

/// <summary>
/// <c>PqRatchetState.VersionNegotiation</c>: kept until the first receive. <see cref="Direction"/> and
/// <see cref="MinVersion"/> are the raw enum numbers so that unknown values survive until they are used.
/// </summary>
internal sealed record VersionNegotiation(byte[] AuthKey, int Direction, int MinVersion, ChainParams? ChainParams);

/// <summary>
/// The whole stored SPQR state. <see cref="HasV1"/> false means a legacy (V0) state; <see cref="V1"/> may still be null
/// with <see cref="HasV1"/> true when a <c>V1State</c> without inner state was stored (an error when used).
/// </summary>
internal sealed record PqRatchetState(VersionNegotiation? Negotiation, Chain? Chain, bool HasV1, BraidState? V1)
{
    public static PqRatchetState Empty { get; } = new(null, null, false, null);
}
