namespace SignalSharp.Daemon.Framing;

/// <summary>
/// The bytes that big commands (over 1 MiB, each in its own native buffer) may hold across all connections at
/// once. A command is buffered whole until its closing brace, so without a shared cap a few clients sending
/// commands near the size limit at the same time would take the daemon's memory; a framer that cannot reserve the
/// next buffer refuses its command (-1, then closes, as for an oversized one) and the other connections go on.
/// </summary>
internal sealed class CommandBufferBudget(long limit)
{
    private long used;

    public long Limit => limit;

    /// <summary>Bytes reserved right now.</summary>
    public long Used => Interlocked.Read(ref used);

    public bool TryReserve(long bytes)
    {
        while (true)
        {
            var now = Interlocked.Read(ref used);
            if (now + bytes > limit)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref used, now + bytes, now) == now)
            {
                return true;
            }
        }
    }

    public void Release(long bytes) => Interlocked.Add(ref used, -bytes);
}
