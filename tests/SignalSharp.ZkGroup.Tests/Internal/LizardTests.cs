using System.Security.Cryptography;
using SignalSharp.ZkGroup.Internal;

namespace SignalSharp.ZkGroup.Tests.Internal;

/// <summary>Lizard encode against curve25519-dalek's published vectors, and the inverse Elligator map round trip.</summary>
public sealed class LizardTests
{
    [Theory]
    [InlineData("00000000000000000000000000000000", "f0b7e34484f74cf00f15024b738539738646bbbe1e9bc7509a676815227e774f")]
    [InlineData("01010101010101010101010101010101", "cc92e81f585afc5caac88660d8d17e9025a44489a363042123f6af0702156e65")]
    [InlineData("000102030405060708090a0b0c0d0e0f", "c830573f8a8e7778671f76cdc796dc0a235cf177f197d9fcba06e84e96247444")]
    [InlineData("dddddddddddddddddddddddddddddddd", "ccb60554c081841037f821fa827b6a5bc2531f80e2647f1a858611f4ccfe3056")]
    public void Encode_matches_dalek_and_decode_inverts_it(string data, string point)
    {
        var encoded = Lizard.Encode(Convert.FromHexString(data));
        Assert.Equal(point, Convert.ToHexStringLower(encoded.Bytes));
        Assert.Equal(data, Convert.ToHexStringLower(Lizard.Decode(encoded)!));
    }

    [Fact]
    public void Random_data_round_trips()
    {
        for (var i = 0; i < 30; i++)
        {
            var data = RandomNumberGenerator.GetBytes(16);
            Assert.Equal(data, Lizard.Decode(Lizard.Encode(data)));
        }
    }

    [Fact]
    public void Random_points_do_not_decode()
    {
        for (var i = 0; i < 20; i++)
        {
            Assert.Null(Lizard.Decode(RistrettoPoint.FromUniformBytes(RandomNumberGenerator.GetBytes(64))));
        }
    }

    [Fact]
    public void Every_defined_preimage_maps_back_and_a_restricted_input_is_among_the_positive_ones()
    {
        for (var i = 0; i < 30; i++)
        {
            var input = RandomNumberGenerator.GetBytes(32);
            if (i == 0)
            {
                Array.Clear(input);
            }

            input[0] &= 0xFE;
            input[31] &= 0x3F;
            var point = RistrettoPoint.MapToCurve(input);
            var candidates = Elligator.InverseCandidates(point);
            Assert.Contains(candidates[..8], c => c is not null && c.AsSpan().SequenceEqual(input));
            if (i != 0)
            {
                // Zero is its own negation, so only non-zero inputs are absent from the negative half.
                Assert.DoesNotContain(candidates[8..], c => c is not null && c.AsSpan().SequenceEqual(input));
            }

            foreach (var c in candidates.Where(c => c is not null))
            {
                Assert.Equal(point, RistrettoPoint.MapToCurve(c));
            }
        }
    }

    [Fact]
    public void The_identity_has_preimages_and_they_map_to_it()
    {
        var candidates = Elligator.InverseCandidates(RistrettoPoint.Identity);
        Assert.Contains(candidates, c => c is not null);
        foreach (var c in candidates.Where(c => c is not null))
        {
            Assert.True(RistrettoPoint.MapToCurve(c).IsIdentity);
        }
    }
}
