using System.Text;
using SignalSharp.ZkGroup.Internal;

namespace SignalSharp.ZkGroup.Tests.Internal;

/// <summary>poksho's published SHO test vectors.</summary>
public sealed class ShoTests
{
    [Fact]
    public void ShoHmacSha256_matches_the_poksho_vector()
    {
        var sho = new ShoHmacSha256("asd"u8);
        sho.AbsorbAndRatchet("asdasd"u8);
        Assert.Equal(
            "392cb9449373037fa0c11aebed69cca3b7d3bc9790878f341729c65d5506442f04986cb5c9098f277c3ea640a4dc6e90372b433a90af9aea7072eaba3398c4fe",
            Convert.ToHexStringLower(sho.Squeeze(64)));
    }

    [Theory]
    [InlineData(64, "ebe4ef29e18aa54137edd89c23f8bfeac2731c9f675da20e7c67d5ad68d7ee2d40a45232b599552d46b520082fb2705971f07b3158b072b63ab0934a05e6af64")]
    [InlineData(65, "ebe4ef29e18aa54137edd89c23f8bfeac2731c9f675da20e7c67d5ad68d7ee2d40a45232b599552d46b520082fb2705971f07b3158b072b63ab0934a05e6af6448")]
    public void ShoSha256_matches_the_poksho_vectors(int length, string expected)
    {
        var sho = new ShoSha256("asd"u8);
        sho.AbsorbAndRatchet("asdasd"u8);
        Assert.Equal(expected, Convert.ToHexStringLower(sho.Squeeze(length)));
    }

    [Fact]
    public void ShoSha256_matches_the_poksho_multi_phase_vector()
    {
        var sho = new ShoSha256([]);
        sho.AbsorbAndRatchet("abc"u8);
        foreach (var n in new[] { 63, 64, 65, 127, 128, 129 })
        {
            sho.AbsorbAndRatchet(new byte[n]);
        }

        foreach (var n in new[] { 63, 64, 65, 127, 128, 129 })
        {
            sho.Squeeze(n);
        }

        sho.AbsorbAndRatchet("def"u8);
        Assert.Equal(
            "0ddeea973f3210f7725a3cdb2473f873aeab8feb32b80dee67f0cde7954e929a4e787aefee6dbe91d3fff1621aab8d0d29194f8af986d6f357add0150df7d9",
            Convert.ToHexStringLower(sho.Squeeze(63)));
    }

    [Fact]
    public void Absorbing_empty_data_still_changes_the_state()
    {
        var plain = new ShoHmacSha256(Encoding.ASCII.GetBytes("label"));
        var withEmpty = ShoHmacSha256.Create("label", []);
        Assert.NotEqual(plain.Squeeze(32), withEmpty.Squeeze(32));
    }

    [Fact]
    public void A_clone_continues_like_the_original()
    {
        var sho = new ShoHmacSha256("x"u8);
        var copy = sho.Clone();
        sho.AbsorbAndRatchet("y"u8);
        copy.AbsorbAndRatchet("y"u8);
        Assert.Equal(sho.Squeeze(40), copy.Squeeze(40));
    }
}
