using Google.Protobuf;
using SignalSharp.Crypto;
using SignalSharp.Protocol.Sessions;
using SignalSharp.Protocol.Sessions.Proto;
using SignalSharp.Spqr;

namespace SignalSharp.Protocol.Ratchet;

/// <summary>
/// Turns a PQXDH result into the first session state of each side (session-wire.md §2, spqr.md §1.2). It does not
/// fill the pending-prekey fields or registration ids; the session builder and cipher do that.
/// </summary>
internal static class RatchetInitializer
{
    /// <summary>The session version every state created here carries.</summary>
    public const uint SessionVersion = 4;

    /// <summary>
    /// Alice: one DH ratchet step from Bob's signed prekey right away, so she can send; Bob's signed prekey with the
    /// PQXDH chain key becomes her first receiving chain.
    /// </summary>
    public static SessionState InitializeAlice(
        PqxdhKeys keys,
        IdentityKey ourIdentity,
        IdentityKey theirIdentity,
        ECPublicKey ourBaseKey,
        ECPublicKey theirSignedPreKey,
        bool selfSession)
    {
        var sendingRatchetKey = ECKeyPair.Generate();
        var (root, sendingChain) = keys.RootKey.CreateChain(theirSignedPreKey, sendingRatchetKey.PrivateKey);
        var state = NewState(ourIdentity, theirIdentity, root, ourBaseKey);
        state.AddReceiverChain(theirSignedPreKey, keys.ChainKey);
        state.SetSenderChain(sendingRatchetKey, sendingChain);
        state.SetPqRatchetState(SpqrRatchet.InitialState(keys.SpqrAuthKey, SpqrDirection.A2B, selfSession));
        return state;
    }

    /// <summary>Bob: his signed prekey is his first ratchet key, sending on the PQXDH chain key.</summary>
    public static SessionState InitializeBob(
        PqxdhKeys keys,
        IdentityKey ourIdentity,
        IdentityKey theirIdentity,
        ECKeyPair ourSignedPreKey,
        ECPublicKey theirBaseKey,
        bool selfSession)
    {
        var state = NewState(ourIdentity, theirIdentity, keys.RootKey, theirBaseKey);
        state.SetSenderChain(ourSignedPreKey, keys.ChainKey);
        state.SetPqRatchetState(SpqrRatchet.InitialState(keys.SpqrAuthKey, SpqrDirection.B2A, selfSession));
        return state;
    }

    private static SessionState NewState(IdentityKey ourIdentity, IdentityKey theirIdentity, RootKey root, ECPublicKey aliceBaseKey) =>
        new(new SessionStateProto
        {
            SessionVersion = SessionVersion,
            LocalIdentityPublic = UnsafeByteOperations.UnsafeWrap(ourIdentity.Serialize()),
            RemoteIdentityPublic = UnsafeByteOperations.UnsafeWrap(theirIdentity.Serialize()),
            RootKey = UnsafeByteOperations.UnsafeWrap(root.Key),
            AliceBaseKey = UnsafeByteOperations.UnsafeWrap(aliceBaseKey.Serialize()),
        });
}
