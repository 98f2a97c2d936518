namespace SignalSharp.Spqr.Chains;

/// <summary>
/// Chain limits exactly as stored: a zero means "the default" (spqr writes 25000 / 2000 as 0), so the stored values
/// round-trip byte for byte while the effective values are read through <see cref="MaxJump"/> and <see cref="MaxOooKeys"/>.
/// </summary>
internal sealed record ChainParams(uint StoredMaxJump, uint StoredMaxOooKeys)
{
    public const uint DefaultMaxJump = 25_000;
    public const uint DefaultMaxOooKeys = 2_000;

    public uint MaxJump => StoredMaxJump > 0 ? StoredMaxJump : DefaultMaxJump;

    public uint MaxOooKeys => StoredMaxOooKeys > 0 ? StoredMaxOooKeys : DefaultMaxOooKeys;

    /// <summary>Number of history records at which garbage collection starts.</summary>
    public int TrimSize => (int)(MaxOooKeys * 11UL / 10 + 1);

    /// <summary>The stored form of effective limits, defaults collapsed to 0 as spqr's <c>into_pb</c> does.</summary>
    public static ChainParams FromLimits(uint maxJump, uint maxOooKeys) => new(
        maxJump == DefaultMaxJump ? 0 : maxJump,
        maxOooKeys == DefaultMaxOooKeys ? 0 : maxOooKeys);
}
