namespace SignalSharp.Store;

/// <summary>How hard a commit waits for the disk.</summary>
public enum Durability
{
    /// <summary><c>synchronous=FULL</c>: a committed transaction survives a power cut, not only a process crash.
    /// The default, because the daemon acks envelopes to the server once the inbox commit returns.</summary>
    Full,

    /// <summary><c>synchronous=NORMAL</c>: survives a process crash (SIGKILL) but the last commits may be lost on
    /// power failure. Faster; for tests and benchmarks.</summary>
    Normal,
}

/// <summary>Tuning for <see cref="AccountDatabase"/>; the defaults suit a long-running daemon.</summary>
public sealed record AccountDatabaseOptions
{
    public Durability Durability { get; init; } = Durability.Full;

    /// <summary>Read-only connections kept for concurrent readers (WAL lets them run beside the one writer).</summary>
    public int MaxReaders { get; init; } = 4;

    /// <summary>How long a statement waits for a lock held by another connection or process before failing.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Trust policy of the SQLite identity stores.</summary>
    public Protocol.TrustNewIdentities TrustNewIdentities { get; init; } = Protocol.TrustNewIdentities.OnFirstUse;

    /// <summary>Clock for row timestamps (delivery, pruning, identity first-seen).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
