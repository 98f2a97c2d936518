using System.Buffers.Binary;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using SignalSharp.Spqr.Kem;

namespace SignalSharp.Spqr.Tests.Kem;

public sealed class IncrementalMlKem768Tests
{
    [Fact]
    public void SizesMatchTheContract()
    {
        var keys = IncrementalMlKem768.Generate(RandomNumberGenerator.GetBytes(64));
        Assert.Equal(64, keys.Header64.Length);
        Assert.Equal(1152, keys.EncapsulationKey1152.Length);
        Assert.Equal(2400, keys.DecapsulationKey2400.Length);
        var e1 = IncrementalMlKem768.Encaps1(keys.Header64, RandomNumberGenerator.GetBytes(32));
        Assert.Equal(960, e1.Ct1.Length);
        Assert.Equal(2080, e1.EncapsState2080.Length);
        Assert.Equal(32, e1.SharedSecret32.Length);
        Assert.Equal(128, IncrementalMlKem768.Encaps2(keys.EncapsulationKey1152, e1.EncapsState2080).Length);
    }

    [Fact]
    public void KeyGenMatchesLibsodiumSeededKeypair()
    {
        Assert.Equal(1184, Libsodium.PublicKeyBytes);
        Assert.Equal(2400, Libsodium.SecretKeyBytes);
        Assert.Equal(64, Libsodium.SeedBytes);
        for (int i = 0; i < 3; i++)
        {
            var seed = RandomNumberGenerator.GetBytes(64);
            var (pk, sk) = Libsodium.SeedKeypair(seed);
            var keys = IncrementalMlKem768.Generate(seed);
            Assert.Equal(Convert.ToHexString(sk), Convert.ToHexString(keys.DecapsulationKey2400));
            Assert.Equal(pk, (byte[])[.. keys.EncapsulationKey1152, .. keys.Header64.AsSpan(0, 32)]);
            Assert.Equal(SHA3_256OrBc(pk), keys.Header64.AsSpan(32).ToArray());
        }
    }

    [Fact]
    public void KeyGenMatchesBouncyCastleFromSeed()
    {
        var seed = RandomNumberGenerator.GetBytes(64);
        var bc = MLKemPrivateKeyParameters.FromSeed(MLKemParameters.ml_kem_768, seed);
        var keys = IncrementalMlKem768.Generate(seed);
        Assert.Equal(bc.GetEncoded(), keys.DecapsulationKey2400);
        Assert.Equal(bc.GetPublicKeyEncoded(), (byte[])[.. keys.EncapsulationKey1152, .. keys.Header64.AsSpan(0, 32)]);
    }

    [Fact]
    public void SplitEncapsulationEqualsLibsodiumDeterministicEncapsulation()
    {
        for (int i = 0; i < 4; i++)
        {
            var keys = IncrementalMlKem768.Generate(RandomNumberGenerator.GetBytes(64));
            byte[] pk = [.. keys.EncapsulationKey1152, .. keys.Header64.AsSpan(0, 32)];
            var m = RandomNumberGenerator.GetBytes(32);
            var (ct, ss) = Libsodium.EncapsulateDeterministic(pk, m);

            var e1 = IncrementalMlKem768.Encaps1(keys.Header64, m);
            var ct2 = IncrementalMlKem768.Encaps2(keys.EncapsulationKey1152, e1.EncapsState2080);
            Assert.Equal(Convert.ToHexString(ct), Convert.ToHexString([.. e1.Ct1, .. ct2]));
            Assert.Equal(ss, e1.SharedSecret32);
            Assert.Equal(m, e1.EncapsState2080.AsSpan(2048).ToArray());

            // libsodium decapsulates our ciphertext, and we decapsulate with our own dk.
            Assert.Equal(ss, Libsodium.Decapsulate([.. e1.Ct1, .. ct2], keys.DecapsulationKey2400));
            Assert.Equal(ss, IncrementalMlKem768.Decaps(keys.DecapsulationKey2400, e1.Ct1, ct2));
        }
    }

    [Fact]
    public void DecapsOfLibsodiumCiphertextGivesLibsodiumSecret()
    {
        var (pk, sk) = Libsodium.SeedKeypair(RandomNumberGenerator.GetBytes(64));
        var (ct, ss) = Libsodium.Encapsulate(pk);
        Assert.Equal(ss, IncrementalMlKem768.Decaps(sk, ct.AsSpan(0, 960), ct.AsSpan(960)));
    }

    [Fact]
    public void TamperedCiphertextGivesLibsodiumsImplicitRejectionSecret()
    {
        var keys = IncrementalMlKem768.Generate(RandomNumberGenerator.GetBytes(64));
        var e1 = IncrementalMlKem768.Encaps1(keys.Header64, RandomNumberGenerator.GetBytes(32));
        var ct2 = IncrementalMlKem768.Encaps2(keys.EncapsulationKey1152, e1.EncapsState2080);
        ct2[5] ^= 0x10;
        var ours = IncrementalMlKem768.Decaps(keys.DecapsulationKey2400, e1.Ct1, ct2);
        Assert.NotEqual(e1.SharedSecret32, ours);
        Assert.Equal(Libsodium.Decapsulate([.. e1.Ct1, .. ct2], keys.DecapsulationKey2400), ours);
    }

    [Fact]
    public void EncapsStateHoldsRHatE2AndMInLittleEndian()
    {
        var keys = IncrementalMlKem768.Generate(RandomNumberGenerator.GetBytes(64));
        var es = IncrementalMlKem768.Encaps1(keys.Header64, RandomNumberGenerator.GetBytes(32)).EncapsState2080;
        for (int i = 0; i < 768; i++)
        {
            short v = BinaryPrimitives.ReadInt16LittleEndian(es.AsSpan(2 * i));
            Assert.InRange(v, (short)-1664, (short)1664);
        }

        for (int i = 0; i < 256; i++)
        {
            short v = BinaryPrimitives.ReadInt16LittleEndian(es.AsSpan(1536 + (2 * i)));
            Assert.InRange(v, (short)-2, (short)2);
        }

        Assert.False(IncrementalMlKem768.HasLibcrux1275ByteOrder(es));
    }

    [Fact]
    public void Encaps2AcceptsAnyRepresentativeOfRHatInLibcruxRange()
    {
        // libcrux stores r̂ Barrett-reduced in [-3328, 3328]; shifting values by ±q must not change ct2.
        var keys = IncrementalMlKem768.Generate(RandomNumberGenerator.GetBytes(64));
        var e1 = IncrementalMlKem768.Encaps1(keys.Header64, RandomNumberGenerator.GetBytes(32));
        var expected = IncrementalMlKem768.Encaps2(keys.EncapsulationKey1152, e1.EncapsState2080);
        var shifted = (byte[])e1.EncapsState2080.Clone();
        for (int i = 0; i < 768; i++)
        {
            short v = BinaryPrimitives.ReadInt16LittleEndian(shifted.AsSpan(2 * i));
            short alt = (short)(v < 0 ? v + 3329 : v - 3329);
            if (i % 3 != 0)
            {
                BinaryPrimitives.WriteInt16LittleEndian(shifted.AsSpan(2 * i), alt);
            }
        }

        Assert.Equal(expected, IncrementalMlKem768.Encaps2(keys.EncapsulationKey1152, shifted));
    }

    [Fact]
    public void Encaps2RepairsLibcrux1275ByteSwappedState()
    {
        var keys = IncrementalMlKem768.Generate(RandomNumberGenerator.GetBytes(64));
        var e1 = IncrementalMlKem768.Encaps1(keys.Header64, RandomNumberGenerator.GetBytes(32));
        var expected = IncrementalMlKem768.Encaps2(keys.EncapsulationKey1152, e1.EncapsState2080);

        var swapped = (byte[])e1.EncapsState2080.Clone();
        for (int i = 0; i < 2048; i += 2)
        {
            (swapped[i], swapped[i + 1]) = (swapped[i + 1], swapped[i]);
        }

        Assert.True(IncrementalMlKem768.HasLibcrux1275ByteOrder(swapped));
        Assert.Equal(expected, IncrementalMlKem768.Encaps2(keys.EncapsulationKey1152, swapped));
    }

    [Fact]
    public void ByteOrderDetectionFollowsSpqrRules()
    {
        var es = new byte[2080];
        Assert.False(IncrementalMlKem768.HasLibcrux1275ByteOrder(es)); // all zeros: nothing to decide on

        // Leading 0 and -1 are skipped; the first decisive value wins.
        BinaryPrimitives.WriteInt16LittleEndian(es.AsSpan(1536), -1);
        BinaryPrimitives.WriteInt16LittleEndian(es.AsSpan(1538), 0x0200);
        BinaryPrimitives.WriteInt16LittleEndian(es.AsSpan(1540), 1);
        Assert.True(IncrementalMlKem768.HasLibcrux1275ByteOrder(es));

        BinaryPrimitives.WriteInt16LittleEndian(es.AsSpan(1538), -2);
        Assert.False(IncrementalMlKem768.HasLibcrux1275ByteOrder(es));

        // An out-of-range value means "leave it alone".
        BinaryPrimitives.WriteInt16LittleEndian(es.AsSpan(1538), 7);
        BinaryPrimitives.WriteInt16LittleEndian(es.AsSpan(1540), 0x0100);
        Assert.False(IncrementalMlKem768.HasLibcrux1275ByteOrder(es));
    }

    [Fact]
    public void EncapsulationKeyMatchesHeaderChecksHashAndModulus()
    {
        var keys = IncrementalMlKem768.Generate(RandomNumberGenerator.GetBytes(64));
        Assert.True(IncrementalMlKem768.EncapsulationKeyMatchesHeader(keys.EncapsulationKey1152, keys.Header64));

        var otherEk = (byte[])keys.EncapsulationKey1152.Clone();
        otherEk[100] ^= 1;
        Assert.False(IncrementalMlKem768.EncapsulationKeyMatchesHeader(otherEk, keys.Header64));

        var otherHeader = (byte[])keys.Header64.Clone();
        otherHeader[3] ^= 1; // ρ is part of the hashed key
        Assert.False(IncrementalMlKem768.EncapsulationKeyMatchesHeader(keys.EncapsulationKey1152, otherHeader));

        // A key with a coefficient ≥ q fails even when the header hashes it correctly.
        var bad = (byte[])keys.EncapsulationKey1152.Clone();
        bad[0] = 0xFF;
        bad[1] |= 0x0F;
        byte[] header = [.. keys.Header64.AsSpan(0, 32), .. SHA3_256OrBc([.. bad, .. keys.Header64.AsSpan(0, 32)])];
        Assert.False(IncrementalMlKem768.EncapsulationKeyMatchesHeader(bad, header));
        Assert.False(IncrementalMlKem768.EncapsulationKeyMatchesHeader(bad.AsSpan(1), header));
    }

    [Fact]
    public void RoundTripWithFreshRandomness()
    {
        var keys = IncrementalMlKem768.Generate();
        var e1 = IncrementalMlKem768.Encaps1(keys.Header64);
        var ct2 = IncrementalMlKem768.Encaps2(keys.EncapsulationKey1152, e1.EncapsState2080);
        Assert.Equal(e1.SharedSecret32, IncrementalMlKem768.Decaps(keys.DecapsulationKey2400, e1.Ct1, ct2));
    }

    [Fact]
    public void ArbitraryStateAndCiphertextBytesNeverThrow()
    {
        var keys = IncrementalMlKem768.Generate(RandomNumberGenerator.GetBytes(64));
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(128, IncrementalMlKem768.Encaps2(RandomNumberGenerator.GetBytes(1152), RandomNumberGenerator.GetBytes(2080)).Length);
            var ct = RandomNumberGenerator.GetBytes(1088);
            Assert.Equal(
                Libsodium.Decapsulate(ct, keys.DecapsulationKey2400),
                IncrementalMlKem768.Decaps(keys.DecapsulationKey2400, ct.AsSpan(0, 960), ct.AsSpan(960)));
        }
    }

    [Fact]
    public void RejectsWrongLengths()
    {
        Assert.Throws<ArgumentException>(() => IncrementalMlKem768.Generate(new byte[63]));
        Assert.Throws<ArgumentException>(() => IncrementalMlKem768.Encaps1(new byte[64], new byte[31]));
        Assert.Throws<ArgumentException>(() => IncrementalMlKem768.Encaps2(new byte[1152], new byte[2079]));
        Assert.Throws<ArgumentException>(() => IncrementalMlKem768.Decaps(new byte[2400], new byte[960], new byte[127]));
    }

    private static byte[] SHA3_256OrBc(byte[] data)
    {
        var digest = new Org.BouncyCastle.Crypto.Digests.Sha3Digest(256);
        digest.BlockUpdate(data, 0, data.Length);
        var output = new byte[32];
        digest.DoFinal(output, 0);
        return output;
    }
}
