using System.Security.Cryptography;
using SignalSharp.Spqr.Braid;
using SignalSharp.Spqr.Chains;
using SignalSharp.Spqr.State;
using SignalSharp.Spqr.Wire;

namespace SignalSharp.Spqr;

/// <summary>
/// The sparse post-quantum ratchet as libsignal 0.100 runs it (spqr v1.5.3): opaque serialized state in, new state,
/// message and message-key salt out. Every call is a pure function of its inputs (plus the RNG in
/// <see cref="Send"/>); on error the caller keeps the old state. This layer knows nothing about the Double Ratchet,
/// storage or identities.
/// </summary>
public static class SpqrRatchet
{
    private const int VersionV1 = 1;

    /// <summary>
    /// A new V1 state (min version V1) for one side of a fresh PQXDH session, byte-compatible with libsignal's
    /// <c>SessionStructure.pq_ratchet_state</c>. A self-session lifts the forward-jump limit.
    /// </summary>
    public static byte[] InitialState(ReadOnlySpan<byte> authKey32, SpqrDirection direction, bool selfSession = false)
    {
        var chainParams = ChainParams.FromLimits(selfSession ? uint.MaxValue : ChainParams.DefaultMaxJump, ChainParams.DefaultMaxOooKeys);
        var negotiation = new VersionNegotiation(authKey32.ToArray(), (int)direction, VersionV1, chainParams);
        var braid = direction == SpqrDirection.A2B ? BraidMachine.InitialA2B(authKey32) : BraidMachine.InitialB2A(authKey32);
        return StateCodec.Encode(new PqRatchetState(negotiation, null, true, braid));
    }

    /// <summary>Produces the SPQR message for the next outgoing message and the key that salts its message keys.</summary>
    public static SpqrSendResult Send(ReadOnlySpan<byte> state, RandomNumberGenerator? rng = null)
    {
        var st = StateCodec.Decode(state);
        if (!st.HasV1)
        {
            return new SpqrSendResult([], [], null);
        }

        var live = LiveBraid.Load(st.V1 ?? throw new SpqrException(SpqrError.StateDecode));
        var sent = BraidMachine.Send(live, rng ?? SystemRandom.Instance);

        Chain? chain;
        if (st.Chain is { } stored)
        {
            chain = stored;
        }
        else if (st.Negotiation is { } vn)
        {
            chain = vn.MinVersion > 0 ? ChainFromNegotiation(vn) : null;
        }
        else
        {
            throw new SpqrException(SpqrError.ChainNotAvailable);
        }

        uint index = 0;
        byte[] key = [];
        if (chain is not null)
        {
            if (sent.Secret is { } secret)
            {
                chain.AddEpoch(secret.Epoch, secret.Secret);
            }

            (index, key) = chain.SendKey(sent.Epoch - 1);
        }
        else if (sent.Secret is not null)
        {
            // spqr asserts that a chainless (V0-negotiable) state never yields an epoch secret.
            throw new SpqrException(SpqrError.ChainNotAvailable);
        }

        var message = new SpqrMessage(sent.Epoch, index, sent.Type, sent.Chunk).Serialize();
        var next = StateCodec.Encode(new PqRatchetState(st.Negotiation, chain, true, sent.State));
        return new SpqrSendResult(next, message, key.Length == 0 ? null : key);
    }

    /// <summary>
    /// Processes the SPQR message of an incoming message and returns the key that salts its message keys.
    /// An empty <paramref name="message"/> is a V0 message, refused by a V1 state.
    /// </summary>
    public static SpqrRecvResult Recv(ReadOnlySpan<byte> state, ReadOnlySpan<byte> message)
    {
        var pre = StateCodec.Decode(state);
        var messageVersion = message.IsEmpty ? 0 : message[0];
        if (messageVersion > VersionV1)
        {
            // A version from the future: keep our state and format; the message is keyed without a salt.
            return new SpqrRecvResult(state.ToArray(), null);
        }

        var stateVersion = pre.HasV1 ? VersionV1 : 0;
        var st = pre;
        if (messageVersion < stateVersion)
        {
            var vn = pre.Negotiation ?? throw new SpqrException(SpqrError.VersionMismatch);
            if (messageVersion < vn.MinVersion)
            {
                throw new SpqrException(SpqrError.MinimumVersion);
            }

            // Negotiated down to V0: no braid, no further negotiation.
            st = new PqRatchetState(null, ChainFrom(pre), false, null);
        }

        if (!st.HasV1)
        {
            return new SpqrRecvResult([], null);
        }

        var msg = SpqrMessage.Parse(message);
        var live = LiveBraid.Load(st.V1 ?? throw new SpqrException(SpqrError.StateDecode));
        var received = BraidMachine.Recv(live, msg);

        var chain = ChainFrom(st);
        if (received.Secret is { } secret)
        {
            chain.AddEpoch(secret.Epoch, secret.Secret);
        }

        var keyEpoch = msg.Epoch - 1;
        var key = keyEpoch == 0 && msg.Index == 0 ? null : chain.RecvKey(keyEpoch, msg.Index);
        var next = StateCodec.Encode(new PqRatchetState(null, chain, true, received.State));
        return new SpqrRecvResult(next, key);
    }

    private static Chain ChainFrom(PqRatchetState st) =>
        st.Chain ?? (st.Negotiation is { } vn ? ChainFromNegotiation(vn) : throw new SpqrException(SpqrError.ChainNotAvailable));

    private static Chain ChainFromNegotiation(VersionNegotiation vn)
    {
        var direction = StateCodec.ToDirection(vn.Direction);
        var chainParams = vn.ChainParams ?? throw new SpqrException(SpqrError.ChainNotAvailable);
        return Chain.Create(vn.AuthKey, direction, chainParams);
    }
}
