namespace SignalSharp.Store;

/// <summary>How hard a commit waits for the disk.</summary>
public enum Durability
{
    /// <summary><c>synchronous=NORMAL</c> (the default): in WAL mode a committed transaction survives a crash or
    /// SIGKILL of the process; only a power cut or OS crash may lose the last commits. What Signal's Android app
    /// runs with. On this project's test machine about 4,500 single-item commits/s.</summary>
    Normal,

    /// <summary><c>synchronous=FULL</c>: every commit waits for fsync, so it also survives a power cut. About 20
    /// times slower per commit (about 250 single-item commits/s on the test machine): group work into one
    /// <see cref="AccountTransaction"/> (or <see cref="Inbox.InboxStore.InsertManyAsync"/>) per batch of envelopes
    /// and ack the batch after the commit.</summary>
    Full,
}

/// <summary>Tuning for <see cref="AccountDatabase"/>; the defaults suit a long-running daemon.</summary>
public sealed record AccountDatabaseOptions
{
    public Durability Durability { get; init; } = Durability.Normal;

    /// <summary>Read-only connections kept for concurrent readers (WAL lets them run beside the one writer).</summary>
    public int MaxReaders { get; init; } = 4;

    /// <summary>
    /// The writer connection's page cache in KiB (<c>PRAGMA cache_size</c>; SQLite's own default is 2,000 KiB per
    /// connection). It holds the pages the receive batches touch again and again (the inbox's last pages, the
    /// session rows); past that, pages come from the operating system's file cache, which every connection shares.
    /// </summary>
    public int WriterCacheKiB { get; init; } = 1024;

    /// <summary>Each read-only connection's page cache in KiB. Reads are short lookups: a small cache each, since a
    /// daemon keeps its readers for good (and one per account in multi-account mode).</summary>
    public int ReaderCacheKiB { get; init; } = 256;

    /// <summary>How long a statement waits for a lock held by another connection or process before failing.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Trust policy of the SQLite identity stores.</summary>
    public Protocol.TrustNewIdentities TrustNewIdentities { get; init; } = Protocol.TrustNewIdentities.OnFirstUse;

    /// <summary>Clock for row timestamps (delivery, pruning, identity first-seen).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
