using System.Text.Json.Nodes;
using SignalSharp.Crypto;
using SignalSharp.Interop.Testing;
using SignalSharp.Protocol.SealedSender;
using static SignalSharp.Protocol.Tests.SenderKeys.NodeMember;

namespace SignalSharp.Protocol.Tests.SealedSender;

/// <summary>A test trust root and server key, issuing certificates either in C# or through libsignal.</summary>
internal sealed class CertificateAuthority
{
    public CertificateAuthority(uint keyId = 1)
    {
        Root = ECKeyPair.Generate();
        Server = ECKeyPair.Generate();
        KeyId = keyId;
        ServerCertificate = ServerCertificate.Create(keyId, Server.PublicKey, Root.PrivateKey);
    }

    public ECKeyPair Root { get; }

    public ECKeyPair Server { get; }

    public uint KeyId { get; }

    public ServerCertificate ServerCertificate { get; }

    public static ulong Now => (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public SenderCertificate Issue(string uuid, uint device, ECPublicKey identity, ulong? expiration = null, string? e164 = null) =>
        SenderCertificate.Create(uuid, e164, device, identity, expiration ?? Now + 86_400_000, ServerCertificate, Server.PrivateKey);

    public async Task<byte[]> IssueInNodeAsync(NodeOracle oracle, string uuid, uint device, ECPublicKey identity, ulong? expiration = null, string? e164 = null)
    {
        var server = await oracle.CallBytesAsync("sealed.cert.server", new JsonObject
        {
            ["keyId"] = KeyId,
            ["serverKey"] = B64(Server.PublicKey.Serialize()),
            ["trustRootPrivate"] = B64(Root.PrivateKey.Serialize()),
        });
        return await oracle.CallBytesAsync("sealed.cert.sender", new JsonObject
        {
            ["uuid"] = uuid,
            ["e164"] = e164,
            ["device"] = device,
            ["identityKey"] = B64(identity.Serialize()),
            ["expiration"] = expiration ?? Now + 86_400_000,
            ["serverCertificate"] = B64(server),
            ["serverPrivate"] = B64(Server.PrivateKey.Serialize()),
        });
    }
}
