using Google.Protobuf;
using SignalSharp.Crypto;
using SignalSharp.Protocol.Ratchet;
using SignalSharp.Protocol.Sessions.Proto;

namespace SignalSharp.Protocol.Sessions;

/// <summary>
/// One Double Ratchet + SPQR state, a thin typed view over its storage protobuf. Mutations apply in place; callers
/// that need commit-on-success work on a <see cref="Clone"/>. It does not pick states or talk to stores.
/// </summary>
internal sealed class SessionState
{
    // DateTimeOffset's upper bound (9999-12-31T23:59:59Z) in Unix seconds; larger stored values are clamped.
    private const ulong MaxUnixSeconds = 253_402_300_799;

    private readonly SessionStateProto proto;

    public SessionState(SessionStateProto proto) => this.proto = proto;

    public SessionStateProto Proto => proto;

    public SessionState Clone() => new(proto.Clone());

    public static SessionState Deserialize(ReadOnlySpan<byte> bytes) => new(SessionStateProto.Parser.ParseFrom(bytes));

    public byte[] Serialize() => proto.ToByteArray();

    public uint SessionVersion
    {
        // An unset version means a pre-versioning (v2) session; libsignal reads it the same way.
        get => proto.SessionVersion == 0 ? 2u : proto.SessionVersion;
        set => proto.SessionVersion = value;
    }

    public IdentityKey LocalIdentityKey
    {
        get => IdentityKey.Deserialize(proto.LocalIdentityPublic.Span);
        set => proto.LocalIdentityPublic = Wrap(value.Serialize());
    }

    public IdentityKey? RemoteIdentityKey
    {
        get => proto.RemoteIdentityPublic.IsEmpty ? null : IdentityKey.Deserialize(proto.RemoteIdentityPublic.Span);
        set => proto.RemoteIdentityPublic = value is null ? ByteString.Empty : Wrap(value.Serialize());
    }

    public RootKey RootKey
    {
        get => new(proto.RootKey.ToByteArray());
        set => proto.RootKey = Wrap(value.Key);
    }

    public uint PreviousCounter
    {
        get => proto.PreviousCounter;
        set => proto.PreviousCounter = value;
    }

    public uint LocalRegistrationId
    {
        get => proto.LocalRegistrationId;
        set => proto.LocalRegistrationId = value;
    }

    public uint RemoteRegistrationId
    {
        get => proto.RemoteRegistrationId;
        set => proto.RemoteRegistrationId = value;
    }

    public ByteString AliceBaseKey
    {
        get => proto.AliceBaseKey;
        set => proto.AliceBaseKey = value;
    }

    /// <summary>The serialized SPQR state (empty for legacy sessions without SPQR).</summary>
    public ReadOnlySpan<byte> PqRatchetState => proto.PqRatchetState.Span;

    public void SetPqRatchetState(byte[] state) => proto.PqRatchetState = Wrap(state);

    public bool HasSenderChain => proto.SenderChain is not null;

    public ECPublicKey SenderRatchetKey => ECPublicKey.Deserialize(RequireSenderChain().SenderRatchetKey.Span);

    public ECPrivateKey SenderRatchetPrivateKey => ECPrivateKey.Deserialize(RequireSenderChain().SenderRatchetKeyPrivate.Span);

    public ChainKey SenderChainKey
    {
        get
        {
            var chainKey = RequireSenderChain().ChainKey;
            return new ChainKey(chainKey.Key.ToByteArray(), chainKey.Index);
        }

        set => RequireSenderChain().ChainKey = ToProto(value);
    }

    public void SetSenderChain(ECKeyPair ratchetKeyPair, ChainKey chainKey) =>
        proto.SenderChain = new SessionStateProto.Types.ChainProto
        {
            SenderRatchetKey = Wrap(ratchetKeyPair.PublicKey.Serialize()),
            SenderRatchetKeyPrivate = Wrap(ratchetKeyPair.PrivateKey.Serialize()),
            ChainKey = ToProto(chainKey),
        };

    public ChainKey? GetReceiverChainKey(ReadOnlySpan<byte> senderRatchetKey33)
    {
        var chain = FindReceiverChain(senderRatchetKey33);
        return chain?.ChainKey is { } key ? new ChainKey(key.Key.ToByteArray(), key.Index) : null;
    }

    public void AddReceiverChain(ECPublicKey senderRatchetKey, ChainKey chainKey)
    {
        proto.ReceiverChains.Add(new SessionStateProto.Types.ChainProto
        {
            SenderRatchetKey = Wrap(senderRatchetKey.Serialize()),
            ChainKey = ToProto(chainKey),
        });
        if (proto.ReceiverChains.Count > SessionLimits.MaxReceiverChains)
        {
            proto.ReceiverChains.RemoveAt(0);
        }
    }

    public void SetReceiverChainKey(ReadOnlySpan<byte> senderRatchetKey33, ChainKey chainKey)
    {
        var chain = FindReceiverChain(senderRatchetKey33) ?? throw new InvalidOperationException("no receiver chain for that ratchet key");
        chain.ChainKey = ToProto(chainKey);
    }

    /// <summary>Removes and returns the stored keys for a skipped counter, or null when there are none.</summary>
    public SkippedMessageKey? TakeSkippedMessageKey(ReadOnlySpan<byte> senderRatchetKey33, uint counter)
    {
        var chain = FindReceiverChain(senderRatchetKey33);
        if (chain is null)
        {
            return null;
        }

        var keys = chain.MessageKeys;
        for (var i = 0; i < keys.Count; i++)
        {
            if (keys[i].Index == counter)
            {
                var found = keys[i];
                keys.RemoveAt(i);
                return found.Seed.IsEmpty
                    ? new SkippedMessageKey(null, new MessageKeys(found.CipherKey.ToByteArray(), found.MacKey.ToByteArray(), found.Iv.ToByteArray(), found.Index))
                    : new SkippedMessageKey(found.Seed.ToByteArray(), null);
            }
        }

        return null;
    }

    /// <summary>Keeps a skipped message's seed, newest first, dropping the oldest beyond the per-chain limit.</summary>
    public void StoreSkippedMessageKeySeed(ReadOnlySpan<byte> senderRatchetKey33, uint counter, byte[] seed)
    {
        var chain = FindReceiverChain(senderRatchetKey33) ?? throw new InvalidOperationException("no receiver chain for that ratchet key");
        chain.MessageKeys.Insert(0, new SessionStateProto.Types.ChainProto.Types.MessageKeyProto { Index = counter, Seed = Wrap(seed) });
        if (chain.MessageKeys.Count > SessionLimits.MaxMessageKeys)
        {
            chain.MessageKeys.RemoveAt(chain.MessageKeys.Count - 1);
        }
    }

    public void SetUnacknowledgedPreKeyMessage(uint? preKeyId, uint signedPreKeyId, ECPublicKey baseKey, DateTimeOffset now)
    {
        var pending = new SessionStateProto.Types.PendingPreKeyProto
        {
            BaseKey = Wrap(baseKey.Serialize()),
            SignedPreKeyId = unchecked((int)signedPreKeyId),
            Timestamp = (ulong)Math.Max(0, now.ToUnixTimeSeconds()),
        };
        if (preKeyId is { } id)
        {
            pending.PreKeyId = id;
        }

        proto.PendingPreKey = pending;
    }

    public void SetUnacknowledgedKyberPreKey(uint kyberPreKeyId, byte[] ciphertext) =>
        proto.PendingKyberPreKey = new SessionStateProto.Types.PendingKyberPreKeyProto { PreKeyId = kyberPreKeyId, Ciphertext = Wrap(ciphertext) };

    /// <summary>What an encrypt needs to wrap its message in a PreKeySignalMessage, or null once the peer has replied.</summary>
    public UnacknowledgedPreKey? UnacknowledgedPreKey
    {
        get
        {
            if (proto.PendingPreKey is not { } pending)
            {
                return null;
            }

            var kyber = proto.PendingKyberPreKey;
            return new UnacknowledgedPreKey(
                pending.HasPreKeyId ? pending.PreKeyId : null,
                unchecked((uint)pending.SignedPreKeyId),
                ECPublicKey.Deserialize(pending.BaseKey.Span),
                DateTimeOffset.FromUnixTimeSeconds((long)Math.Min(pending.Timestamp, MaxUnixSeconds)),
                kyber?.PreKeyId,
                kyber?.Ciphertext.ToByteArray());
        }
    }

    public void ClearUnacknowledgedPreKeyMessage()
    {
        proto.PendingPreKey = null;
        proto.PendingKyberPreKey = null;
    }

    private SessionStateProto.Types.ChainProto? FindReceiverChain(ReadOnlySpan<byte> senderRatchetKey33)
    {
        foreach (var chain in proto.ReceiverChains)
        {
            if (chain.SenderRatchetKey.Span.SequenceEqual(senderRatchetKey33))
            {
                return chain;
            }
        }

        return null;
    }

    private SessionStateProto.Types.ChainProto RequireSenderChain() =>
        proto.SenderChain ?? throw new InvalidOperationException("session state has no sender chain");

    private static SessionStateProto.Types.ChainProto.Types.ChainKeyProto ToProto(ChainKey chainKey) =>
        new() { Index = chainKey.Index, Key = Wrap(chainKey.Key) };

    private static ByteString Wrap(byte[] bytes) => UnsafeByteOperations.UnsafeWrap(bytes);
}

/// <summary>A stored skipped message key: a seed (current format) or, from old records, complete keys.</summary>
internal sealed record SkippedMessageKey(byte[]? Seed, MessageKeys? Keys);

/// <summary>The PQXDH values an unacknowledged session repeats in every PreKeySignalMessage.</summary>
internal sealed record UnacknowledgedPreKey(
    uint? PreKeyId,
    uint SignedPreKeyId,
    ECPublicKey BaseKey,
    DateTimeOffset Created,
    uint? KyberPreKeyId,
    byte[]? KyberCiphertext);
