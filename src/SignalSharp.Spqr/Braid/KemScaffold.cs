// TEMPORARY scaffold so the braid compiles before helper spqr-math's Kem/IncrementalMlKem768 lands on this branch.
// Deleted in the merge that brings the real implementation; nothing here is used as done.
namespace SignalSharp.Spqr.Kem;

internal sealed record KeyMaterial(byte[] Header64, byte[] EncapsulationKey1152, byte[] DecapsulationKey2400);

internal sealed record Encaps1Result(byte[] Ct1, byte[] EncapsState2080, byte[] SharedSecret32);

internal static class IncrementalMlKem768
{
    public static KeyMaterial Generate(ReadOnlySpan<byte> seed64) => throw new NotImplementedException();

    public static Encaps1Result Encaps1(ReadOnlySpan<byte> header64, ReadOnlySpan<byte> m32) => throw new NotImplementedException();

    public static byte[] Encaps2(ReadOnlySpan<byte> ek1152, ReadOnlySpan<byte> encapsState2080) => throw new NotImplementedException();

    public static byte[] Decaps(ReadOnlySpan<byte> dk2400, ReadOnlySpan<byte> ct1, ReadOnlySpan<byte> ct2) => throw new NotImplementedException();

    public static bool EncapsulationKeyMatchesHeader(ReadOnlySpan<byte> ek1152, ReadOnlySpan<byte> header64) => throw new NotImplementedException();
}
