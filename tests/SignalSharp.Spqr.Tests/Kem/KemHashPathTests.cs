using System.Security.Cryptography;
using SignalSharp.Spqr.Kem;

namespace SignalSharp.Spqr.Tests.Kem;

/// <summary>The platform SHA-3 path and the BouncyCastle path must be interchangeable.</summary>
public sealed class KemHashPathTests
{
    [Fact]
    public void SampleNttIsTheSameOnBothPathsIncludingLongStreams()
    {
        if (!KemSampling.PlatformSha3Available)
        {
            return; // nothing to compare: only the managed path exists on this platform
        }

        var platform = new short[256];
        var managed = new short[256];
        bool original = KemSampling.UsePlatformSha3;
        try
        {
            // ~1% of polynomials need more than three SHAKE128 blocks: 400 of them exercise the longer rerun.
            for (int trial = 0; trial < 400; trial++)
            {
                var rho = RandomNumberGenerator.GetBytes(32);
                KemSampling.UsePlatformSha3 = true;
                KemSampling.SampleNtt(rho, 1, 2, platform);
                KemSampling.UsePlatformSha3 = false;
                KemSampling.SampleNtt(rho, 1, 2, managed);
                Assert.Equal(managed, platform);
            }
        }
        finally
        {
            KemSampling.UsePlatformSha3 = original;
        }
    }

    [Fact]
    public void BothPathsMatchLibsodium()
    {
        bool original = KemSampling.UsePlatformSha3;
        try
        {
            foreach (bool usePlatform in KemSampling.PlatformSha3Available ? new[] { true, false } : new[] { false })
            {
                KemSampling.UsePlatformSha3 = usePlatform;
                var seed = RandomNumberGenerator.GetBytes(64);
                var (pk, sk) = Libsodium.SeedKeypair(seed);
                var keys = IncrementalMlKem768.Generate(seed);
                Assert.Equal(sk, keys.DecapsulationKey2400);

                var m = RandomNumberGenerator.GetBytes(32);
                var (ct, ss) = Libsodium.EncapsulateDeterministic(pk, m);
                var e1 = IncrementalMlKem768.Encaps1(keys.Header64, m);
                var ct2 = IncrementalMlKem768.Encaps2(keys.EncapsulationKey1152, e1.EncapsState2080);
                Assert.Equal(ct, (byte[])[.. e1.Ct1, .. ct2]);
                Assert.Equal(ss, e1.SharedSecret32);

                ct[3] ^= 1;
                Assert.Equal(Libsodium.Decapsulate(ct, sk), IncrementalMlKem768.Decaps(sk, ct.AsSpan(0, 960), ct.AsSpan(960)));
                Assert.True(IncrementalMlKem768.EncapsulationKeyMatchesHeader(keys.EncapsulationKey1152, keys.Header64));
            }
        }
        finally
        {
            KemSampling.UsePlatformSha3 = original;
        }
    }
}
