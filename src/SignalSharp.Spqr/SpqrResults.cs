namespace SignalSharp.Spqr;

/// <summary>
/// Outcome of <see cref="SpqrRatchet.Send"/>: the state to store once the message is committed, the bytes for the
/// SignalMessage <c>pq_ratchet</c> field (empty for a legacy V0 state), and the 32-byte key that salts the message
/// keys (null when there is none).
/// </summary>
public readonly record struct SpqrSendResult(byte[] State, byte[] Message, byte[]? Key);

/// <summary>Outcome of <see cref="SpqrRatchet.Recv"/>: the state to store on success and the message-key salt, if any.</summary>
public readonly record struct SpqrRecvResult(byte[] State, byte[]? Key);
