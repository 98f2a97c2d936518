using System.Security.Cryptography;
using SignalSharp.Spqr.Protobuf;

namespace SignalSharp.Spqr.Tests.Interop;

/// <summary>
/// Recomputes a libsignal SignalMessage MAC from the sender's SessionRecord (identities, sending chain key) and a given
/// SPQR key, so that a key computed in C# can be checked against a message node really sent.
/// </summary>
internal static class SignalMessageMac
{
    public static bool Verify(byte[] record, byte[] signalMessage, byte[]? spqrKey)
    {
        var session = Field(record, 1) ?? throw new InvalidDataException("no current session");
        var localIdentity = Field(session, 2)!;
        var remoteIdentity = Field(session, 3)!;
        var chainKey = Field(Field(Field(session, 6)!, 3)!, 2)!;

        var seed = HMACSHA256.HashData(chainKey, new byte[] { 1 });
        var okm = new byte[80];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, seed, okm, spqrKey ?? new byte[32], "WhisperMessageKeys"u8.ToArray());
        var macKey = okm.AsSpan(32, 32).ToArray();
        var body = signalMessage.AsSpan(0, signalMessage.Length - 8);
        var mac = HMACSHA256.HashData(macKey, (byte[])[.. localIdentity, .. remoteIdentity, .. body]);
        return mac.AsSpan(0, 8).SequenceEqual(signalMessage.AsSpan(signalMessage.Length - 8));
    }

    private static byte[]? Field(ReadOnlySpan<byte> message, int tag)
    {
        byte[]? found = null;
        var reader = new ProtoReader(message);
        while (reader.Next())
        {
            if (reader.Tag == tag && reader.WireType == 2)
            {
                found = reader.ReadBytes().ToArray();
            }
            else
            {
                reader.Skip();
            }
        }

        return found;
    }
}
