using System.Numerics;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace SignalSharp.Crypto.Tests;

/// <summary>Test-side helpers for building edge-case keys and signatures.</summary>
internal static class EdwardsMath
{
    /// <summary>The group order L of Ed25519's prime-order subgroup.</summary>
    public static readonly BigInteger L = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>An Edwards point of order 8 (y encoding from libsodium's small-order list).</summary>
    public static readonly byte[] Order8Point = Convert.FromHexString("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05");

    /// <summary>u = (1 + y) / (1 − y), ignoring the sign bit.</summary>
    public static byte[] ToMontgomery(ReadOnlySpan<byte> edwards)
    {
        var y = X25519Field.Create();
        var encoded = edwards.ToArray();
        encoded[31] &= 0x7F;
        X25519Field.Decode255(encoded, y);
        var num = X25519Field.Create();
        var den = X25519Field.Create();
        var one = X25519Field.Create();
        X25519Field.One(one);
        X25519Field.Add(one, y, num);
        X25519Field.Sub(one, y, den);
        X25519Field.InvVar(den, den);
        X25519Field.Mul(num, den, num);
        X25519Field.Normalize(num);
        var u = new byte[32];
        X25519Field.Encode(num, u);
        return u;
    }

    public static BigInteger ToInteger(ReadOnlySpan<byte> littleEndian) => new(littleEndian, isUnsigned: true, isBigEndian: false);

    public static byte[] ToBytes32(BigInteger value)
    {
        var bytes = new byte[32];
        value.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
        return bytes;
    }
}
