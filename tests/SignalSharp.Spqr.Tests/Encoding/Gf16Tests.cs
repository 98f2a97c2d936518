using CsCheck;
using SignalSharp.Spqr.Encoding;

namespace SignalSharp.Spqr.Tests.Encoding;

public sealed class Gf16Tests
{
    private static readonly Gen<ushort> Element = Gen.UShort;
    private static readonly Gen<ushort> NonZero = Gen.UShort[1, ushort.MaxValue];

    [Fact]
    public void TableMultiplyMatchesCarrylessMultiply() =>
        Gen.Select(Element, Element).Sample((a, b) => Gf16.Mul(a, b) == Gf16.MulSlow(a, b), iter: 20_000);

    [Fact]
    public void MultiplicationIsCommutativeAndAssociative() =>
        Gen.Select(Element, Element, Element).Sample(
            (a, b, c) => Gf16.Mul(a, b) == Gf16.Mul(b, a) && Gf16.Mul(Gf16.Mul(a, b), c) == Gf16.Mul(a, Gf16.Mul(b, c)),
            iter: 5_000);

    [Fact]
    public void MultiplicationDistributesOverAddition() =>
        Gen.Select(Element, Element, Element).Sample(
            (a, b, c) => Gf16.Mul(a, Gf16.Add(b, c)) == Gf16.Add(Gf16.Mul(a, b), Gf16.Mul(a, c)),
            iter: 5_000);

    [Fact]
    public void IdentitiesAndZero() =>
        Element.Sample(a => Gf16.Mul(a, 1) == a && Gf16.Mul(a, 0) == 0 && Gf16.Add(a, a) == 0, iter: 2_000);

    [Fact]
    public void InverseIsExponentiationByOrderMinusOne() =>
        NonZero.Sample(a => Gf16.Inverse(a) == Gf16.Pow(a, 65534) && Gf16.Mul(a, Gf16.Inverse(a)) == 1, iter: 2_000);

    [Fact]
    public void DivisionUndoesMultiplication() =>
        Gen.Select(Element, NonZero).Sample((a, b) => Gf16.Div(Gf16.Mul(a, b), b) == a, iter: 5_000);

    [Fact]
    public void DivisionByZeroIsZeroLikeSpqr()
    {
        Assert.Equal(0, Gf16.Div(1234, 0));
        Assert.Equal(0, Gf16.Inverse(0));
    }

    [Fact]
    public void ReductionPolynomialAppliesAtBit16()
    {
        // x^15 * x = x^16 = x^12 + x^3 + x + 1.
        Assert.Equal(0x100B, Gf16.Mul(0x8000, 2));
        Assert.Equal(0x100B, Gf16.MulSlow(0x8000, 2));
    }

    [Fact]
    public void ProductTableMultipliesAsTheCarrylessDefinition() =>
        Gen.Select(Element, Element.Array[1, 64]).Sample((x, values) =>
        {
            var table = new ushort[Gf16.ProductTableLength];
            Gf16.FillProductTable(x, table);
            return values.All(a => Gf16.MulByTable(a, table) == Gf16.MulSlow(a, x));
        }, iter: 2_000);

    [Fact]
    public void EvaluatingThroughAProductTableMatchesHorner() =>
        Gen.Select(Element, Gen.UShort.Array[0, 60]).Sample((x, coefficients) =>
        {
            var table = new ushort[Gf16.ProductTableLength];
            Gf16.FillProductTable(x, table);
            return GfPoly.Evaluate(coefficients, table) == GfPoly.Evaluate(coefficients, x);
        }, iter: 2_000);

    [Fact]
    public void InterpolationPassesThroughItsPoints() =>
        Gen.UShort.Array[1, 40].Sample(ys =>
        {
            var xs = Enumerable.Range(0, ys.Length).Select(i => (ushort)(i * 7 + 3)).ToArray();
            var coefficients = new ushort[ys.Length];
            GfPoly.Interpolate(xs, ys, coefficients);
            return xs.Select((x, i) => GfPoly.Evaluate(coefficients, x) == ys[i]).All(ok => ok);
        }, iter: 200);
}
