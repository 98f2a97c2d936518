using Google.Protobuf;
using SignalSharp.Protocol.Sessions.Proto;

namespace SignalSharp.Protocol.Sessions;

/// <summary>
/// Everything stored for one remote address: the current session state and up to 40 archived previous states
/// (newest first), so that late messages of a replaced session still decrypt. The storage format follows
/// libsignal's record layout, so records move between the two.
/// </summary>
public sealed class SessionRecord
{
    private SessionState? current;
    private readonly List<SessionState> previous;

    /// <summary>An empty record: no current state, nothing archived.</summary>
    public SessionRecord()
        : this(null, [])
    {
    }

    private SessionRecord(SessionState? current, List<SessionState> previous)
    {
        this.current = current;
        this.previous = previous;
    }

    internal SessionState? CurrentState => current;

    internal IReadOnlyList<SessionState> PreviousStates => previous;

    /// <summary>True when there is a current state at all (it may still be unusable for sending; see <see cref="HasUsableSenderChain"/>).</summary>
    public bool HasCurrentState => current is not null;

    /// <summary>Number of archived states.</summary>
    public int ArchivedStateCount => previous.Count;

    /// <summary>The peer's registration id from the current state.</summary>
    public uint? RemoteRegistrationId => current?.RemoteRegistrationId;

    /// <summary>
    /// Whether encrypting would work: a version-4 state with a sending chain and SPQR state that, if still
    /// unacknowledged, is not older than 30 days (libsignal's <c>hasCurrentState(now)</c>).
    /// </summary>
    public bool HasUsableSenderChain(DateTimeOffset now)
    {
        if (current is null || !current.HasSenderChain || current.SessionVersion < 4 || current.PqRatchetState.IsEmpty)
        {
            return false;
        }

        return current.UnacknowledgedPreKey is not { } pending || pending.Created + SessionLimits.MaxUnacknowledgedSessionAge >= now;
    }

    /// <summary>
    /// Whether the current state still sends with <paramref name="ratchetKey"/> (libsignal's
    /// <c>currentRatchetKeyMatches</c>): a peer's resend request names the ratchet key of the message it could not
    /// open, and only when it is still ours is the session the broken one.
    /// </summary>
    public bool CurrentRatchetKeyMatches(Crypto.ECPublicKey ratchetKey)
    {
        ArgumentNullException.ThrowIfNull(ratchetKey);
        return current is { HasSenderChain: true } state && state.SenderRatchetKey.Serialize().AsSpan().SequenceEqual(ratchetKey.Serialize());
    }

    /// <summary>Moves the current state to the front of the archive (its pending-prekey data is dropped).</summary>
    public void ArchiveCurrentState()
    {
        if (current is null)
        {
            return;
        }

        current.ClearUnacknowledgedPreKeyMessage();
        previous.Insert(0, current);
        if (previous.Count > SessionLimits.ArchivedStatesMaxLength)
        {
            previous.RemoveAt(previous.Count - 1);
        }

        current = null;
    }

    /// <summary>A deep copy; stores hand these out so callers' uncommitted changes never leak.</summary>
    public SessionRecord Clone() => new(current?.Clone(), previous.ConvertAll(state => state.Clone()));

    public byte[] Serialize()
    {
        var proto = new SessionRecordProto { CurrentSession = current?.Proto };
        foreach (var state in previous)
        {
            proto.PreviousSessions.Add(UnsafeByteOperations.UnsafeWrap(state.Serialize()));
        }

        return proto.ToByteArray();
    }

    /// <summary>Reads a record written by this class or by libsignal.</summary>
    public static SessionRecord Deserialize(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var proto = SessionRecordProto.Parser.ParseFrom(bytes);
            var previous = new List<SessionState>(proto.PreviousSessions.Count);
            foreach (var state in proto.PreviousSessions)
            {
                previous.Add(SessionState.Deserialize(state.Span));
            }

            return new SessionRecord(proto.CurrentSession is { } currentProto ? new SessionState(currentProto) : null, previous);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidSessionRecordException("session record is not a valid protobuf", e);
        }
    }

    /// <summary>Makes <paramref name="state"/> current, archiving the previous current state.</summary>
    internal void PromoteState(SessionState state)
    {
        ArchiveCurrentState();
        current = state;
    }

    /// <summary>Replaces the current state with an updated copy of itself (commit after a successful operation).</summary>
    internal void SetCurrentState(SessionState state) => current = state;

    /// <summary>An archived state decrypted a message: it becomes current (updated), the old current is archived.</summary>
    internal void PromoteOldSession(int archivedIndex, SessionState updated)
    {
        previous.RemoveAt(archivedIndex);
        PromoteState(updated);
    }

    /// <summary>
    /// Finds the state that a (re)transmitted PreKeySignalMessage with this base key belongs to and makes it
    /// current; returns false when no state matches (a new session must be built).
    /// </summary>
    internal bool PromoteMatchingSession(uint version, ReadOnlySpan<byte> aliceBaseKey33)
    {
        if (current is not null && current.SessionVersion == version && current.AliceBaseKey.Span.SequenceEqual(aliceBaseKey33))
        {
            return true;
        }

        for (var i = 0; i < previous.Count; i++)
        {
            var state = previous[i];
            if (state.SessionVersion == version && state.AliceBaseKey.Span.SequenceEqual(aliceBaseKey33))
            {
                PromoteOldSession(i, state);
                return true;
            }
        }

        return false;
    }
}
