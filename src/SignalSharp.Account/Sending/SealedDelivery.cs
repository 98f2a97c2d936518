using System.Security.Cryptography;
using SignalSharp.Protocol.SealedSender;
using SignalSharp.Service.Api;

namespace SignalSharp.Account.Sending;

/// <summary>
/// What a sealed-sender send needs: the unauthenticated connection's API, the recipient's access key and our
/// sender certificate. The server learns the recipient but not the sender.
/// </summary>
internal sealed record SealedDelivery(ChatApi UnauthenticatedApi, byte[] AccessKey, SenderCertificate Certificate)
{
    /// <summary>The unidentified-access key: AES-256-GCM of 16 zero bytes under the profile key with a zero nonce, first 16 bytes.</summary>
    public static byte[] DeriveAccessKey(ReadOnlySpan<byte> profileKey)
    {
        using var gcm = new AesGcm(profileKey, 16);
        var ciphertext = new byte[16];
        var tag = new byte[16];
        gcm.Encrypt(new byte[12], new byte[16], ciphertext, tag);
        return ciphertext;
    }
}
