using SignalSharp.ZkGroup.Internal;

namespace SignalSharp.ZkGroup.Groups;

/// <summary>A member's service id encrypted under the group's UID key: 0x00 ‖ E_A1 ‖ E_A2 (65 bytes).</summary>
public sealed class UuidCiphertext : IEquatable<UuidCiphertext>
{
    public const int Length = 65;

    internal UuidCiphertext(RistrettoPoint e1, RistrettoPoint e2)
    {
        E1 = e1;
        E2 = e2;
    }

    internal RistrettoPoint E1 { get; }

    internal RistrettoPoint E2 { get; }

    public static UuidCiphertext Deserialize(ReadOnlySpan<byte> data)
    {
        var r = new BincodeReader(data, nameof(UuidCiphertext));
        r.ExpectVersion(0);
        var e1 = r.ReadPoint();
        var e2 = r.ReadPoint();
        r.ExpectEnd();
        return new UuidCiphertext(e1, e2);
    }

    public byte[] Serialize() => [0x00, .. E1.Bytes, .. E2.Bytes];

    public bool Equals(UuidCiphertext? other) => other is not null && other.E1 == E1 && other.E2 == E2;

    public override bool Equals(object? obj) => Equals(obj as UuidCiphertext);

    public override int GetHashCode() => E1.GetHashCode();
}
