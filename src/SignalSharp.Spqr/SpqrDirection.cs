namespace SignalSharp.Spqr;

/// <summary>Which party a ratchet state belongs to: the session initiator (Alice) is <see cref="A2B"/>.</summary>
public enum SpqrDirection
{
    A2B = 0,
    B2A = 1,
}
