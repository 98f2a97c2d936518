namespace SignalSharp.ZkGroup.Groups;

/// <summary>The 32-byte secret every group member holds; all other group keys derive from it.</summary>
public sealed class GroupMasterKey
{
    public const int Length = 32;

    private readonly byte[] bytes;

    public GroupMasterKey(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ZkGroupDeserializationException(nameof(GroupMasterKey), $"{bytes.Length} bytes, expected {Length}");
        }

        this.bytes = bytes.ToArray();
    }

    public ReadOnlySpan<byte> Bytes => bytes;

    public byte[] Serialize() => [.. bytes];
}
