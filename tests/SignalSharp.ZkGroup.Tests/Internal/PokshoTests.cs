using SignalSharp.ZkGroup.Internal;
using SignalSharp.ZkGroup.Internal.Poksho;

namespace SignalSharp.ZkGroup.Tests.Internal;

/// <summary>poksho's published statement encodings and its fixed complex-statement proof.</summary>
public sealed class PokshoTests
{
    private static byte[] Block(int length, int start) => [.. Enumerable.Range(0, length).Select(i => (byte)(start + i))];

    [Fact]
    public void Statement_descriptions_match_poksho()
    {
        Assert.Equal([1, 1, 1, 0, 0], new PokshoStatement().Add("A", ("a", "G")).ToBytes());
        Assert.Equal([2, 1, 1, 0, 0, 2, 1, 0, 3], new PokshoStatement().Add("A", ("a", "G")).Add("B", ("a", "H")).ToBytes());
        Assert.Equal([1, 1, 2, 0, 0, 1, 2], new PokshoStatement().Add("A", ("a", "G"), ("b", "H")).ToBytes());
    }

    private static (PokshoStatement Statement, Dictionary<string, Scalar> Scalars, Dictionary<string, RistrettoPoint> Points) Complex()
    {
        var a = Scalar.FromWide(Block(64, 10));
        var b = Scalar.FromWide(Block(64, 20));
        var c = Scalar.FromWide(Block(64, 30));
        var d = Scalar.FromWide(Block(64, 40));
        var h = RistrettoPoint.MulBase(Scalar.FromWide(Block(64, 50)));
        var i = RistrettoPoint.MulBase(Scalar.FromWide(Block(64, 60)));
        var st = new PokshoStatement()
            .Add("A", ("a", "G"), ("b", "H"), ("c", "I"))
            .Add("B", ("c", "H"), ("d", "I"));
        var scalars = new Dictionary<string, Scalar> { ["a"] = a, ["b"] = b, ["c"] = c, ["d"] = d };
        var points = new Dictionary<string, RistrettoPoint>
        {
            ["A"] = RistrettoPoint.MulBase(a) + (b * h) + (c * i),
            ["B"] = (c * h) + (d * i),
            ["H"] = h,
            ["I"] = i,
        };
        return (st, scalars, points);
    }

    [Fact]
    public void Complex_statement_proof_matches_poksho_vector()
    {
        var (st, scalars, points) = Complex();
        Assert.Equal([2, 1, 3, 0, 0, 1, 2, 2, 3, 4, 2, 2, 2, 3, 3], st.ToBytes());
        var proof = st.Prove(scalars, points, [], Block(32, 0));
        Assert.Equal(
            "8efc676c33e6b2d0670ed5461a507f6a4bc9153e261db80fa438f3cd80a5c909b113cc0d7990ad616d0a2fc4b831d06357a5ee5d36d44b3427c7901061180c0fb1798c51680fe21b9f98e97955b1597c49314725c1546a369328cf54daae710bfc4a9911422aa77ed6d7231de3003ba5ae9d9fd0c53ced7ad782e29b04684a07221a6ef47ce61d817f01117cf59df69ac35b5bb590f1f7b6d029717bc1a62501",
            Convert.ToHexStringLower(proof));
        Assert.True(st.Verify(proof, points, []));
    }

    [Fact]
    public void Altered_proofs_messages_and_lengths_fail()
    {
        var (st, scalars, points) = Complex();
        var proof = st.Prove(scalars, points, "msg"u8, Block(32, 0));
        Assert.True(st.Verify(proof, points, "msg"u8));
        Assert.False(st.Verify(proof, points, []));
        Assert.False(st.Verify([.. proof, 0], points, "msg"u8));
        Assert.False(st.Verify(proof[..^32], points, "msg"u8));
        var tampered = (byte[])proof.Clone();
        tampered[^1] ^= 1;
        Assert.False(st.Verify(tampered, points, "msg"u8));
    }

    [Fact]
    public void A_wrong_witness_is_refused_by_the_prover()
    {
        var (st, scalars, points) = Complex();
        scalars["d"] = scalars["a"];
        Assert.Throws<InvalidOperationException>(() => st.Prove(scalars, points, [], Block(32, 0)));
    }
}
