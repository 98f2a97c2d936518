using System.Diagnostics.CodeAnalysis;

namespace SignalSharp.Account.Api;

/// <summary>A Signal (v2) group identifier: exactly 32 bytes, written in base64 on the wire.</summary>
public sealed class GroupId : IEquatable<GroupId>
{
    public const int Length = 32;

    private readonly byte[] bytes;

    public GroupId(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"a group id is {Length} bytes", nameof(bytes));
        }

        this.bytes = bytes.ToArray();
    }

    public ReadOnlySpan<byte> Bytes => bytes;

    /// <summary>Standard base64 (with padding) that decodes to exactly 32 bytes.</summary>
    public static bool TryParse(string? base64, [NotNullWhen(true)] out GroupId? groupId)
    {
        groupId = null;
        if (base64 is null || base64.Length > 64)
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[48];
        if (!Convert.TryFromBase64String(base64, buffer, out var written) || written != Length)
        {
            return false;
        }

        groupId = new GroupId(buffer[..written]);
        return true;
    }

    public string ToBase64() => Convert.ToBase64String(bytes);

    public bool Equals(GroupId? other) => other is not null && bytes.AsSpan().SequenceEqual(other.bytes);

    public override bool Equals(object? obj) => Equals(obj as GroupId);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(bytes);
        return hash.ToHashCode();
    }

    public override string ToString() => ToBase64();
}
