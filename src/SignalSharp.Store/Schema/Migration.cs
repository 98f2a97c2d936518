namespace SignalSharp.Store.Schema;

/// <summary>One numbered schema step. <paramref name="Sql"/> runs inside a single transaction together with the
/// <c>PRAGMA user_version</c> bump, so a step is either fully applied or not at all.</summary>
internal sealed record Migration(int Version, string Name, string Sql);
