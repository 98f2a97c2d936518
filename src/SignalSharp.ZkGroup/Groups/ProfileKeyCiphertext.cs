using SignalSharp.ZkGroup.Internal;

namespace SignalSharp.ZkGroup.Groups;

/// <summary>A member's profile key encrypted under the group's profile-key key: 0x00 ‖ E_B1 ‖ E_B2 (65 bytes).</summary>
public sealed class ProfileKeyCiphertext
{
    public const int Length = 65;

    internal ProfileKeyCiphertext(RistrettoPoint e1, RistrettoPoint e2)
    {
        E1 = e1;
        E2 = e2;
    }

    internal RistrettoPoint E1 { get; }

    internal RistrettoPoint E2 { get; }

    public static ProfileKeyCiphertext Deserialize(ReadOnlySpan<byte> data)
    {
        var r = new BincodeReader(data, nameof(ProfileKeyCiphertext));
        r.ExpectVersion(0);
        var e1 = r.ReadPoint();
        var e2 = r.ReadPoint();
        r.ExpectEnd();
        return new ProfileKeyCiphertext(e1, e2);
    }

    public byte[] Serialize() => [0x00, .. E1.Bytes, .. E2.Bytes];
}
