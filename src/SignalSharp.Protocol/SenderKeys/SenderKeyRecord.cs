using Google.Protobuf;
using SignalSharp.Crypto;
using Stored = SignalSharp.Protocol.SenderKeys.Proto;

namespace SignalSharp.Protocol.SenderKeys;

/// <summary>
/// Every sender chain known for one (sender address, distribution id), newest first, at most
/// <see cref="MaxStates"/>. Serializes to the same bytes libsignal stores (SenderKeyRecordStructure).
/// </summary>
public sealed class SenderKeyRecord
{
    /// <summary>How many chains one record keeps; older chains are forgotten when a new one arrives.</summary>
    public const int MaxStates = 5;

    private readonly List<SenderKeyState> states;

    public SenderKeyRecord() => states = [];

    private SenderKeyRecord(List<SenderKeyState> states) => this.states = states;

    internal IReadOnlyList<SenderKeyState> States => states;

    public bool IsEmpty => states.Count == 0;

    public byte[] Serialize()
    {
        var structure = new Stored.SenderKeyRecordStructure();
        structure.SenderKeyStates.AddRange(states.Select(s => s.Structure));
        return structure.ToByteArray();
    }

    public static SenderKeyRecord Deserialize(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var structure = Stored.SenderKeyRecordStructure.Parser.ParseFrom(bytes);
            return new SenderKeyRecord(structure.SenderKeyStates.Select(s => new SenderKeyState(s)).ToList());
        }
        catch (InvalidProtocolBufferException)
        {
            throw new InvalidSenderKeySessionException("sender key record is malformed");
        }
    }

    internal SenderKeyRecord Clone() => Deserialize(Serialize());

    /// <summary>The chain used for sending (the newest one).</summary>
    internal SenderKeyState? Current => states.Count > 0 ? states[0] : null;

    internal SenderKeyState? ForChainId(uint chainId) => states.FirstOrDefault(s => s.ChainId == chainId);

    /// <summary>
    /// Adds a chain at the front. A chain with the same id and signing key is kept as it is (it may be further
    /// along than the distribution message); other chains with that id are dropped.
    /// </summary>
    internal void AddState(byte version, uint chainId, uint iteration, byte[] chainKey, ECPublicKey signingPublic, ECPrivateKey? signingPrivate)
    {
        var existing = states.FindIndex(s => s.ChainId == chainId && s.HasSigningKey(signingPublic));
        SenderKeyState? kept = null;
        if (existing >= 0)
        {
            kept = states[existing];
            states.RemoveAt(existing);
        }

        states.RemoveAll(s => s.ChainId == chainId);
        var state = kept ?? new SenderKeyState(version, chainId, iteration, chainKey, signingPublic, signingPrivate);
        while (states.Count >= MaxStates)
        {
            states.RemoveAt(states.Count - 1);
        }

        states.Insert(0, state);
    }
}
