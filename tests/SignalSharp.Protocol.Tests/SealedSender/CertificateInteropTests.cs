using System.Text.Json.Nodes;
using Google.Protobuf;
using SignalSharp.Crypto;
using SignalSharp.Interop.Testing;
using SignalSharp.Protocol.SealedSender;
using static SignalSharp.Protocol.Tests.SenderKeys.NodeMember;
using Wire = SignalSharp.Protocol.SealedSender.Proto;

namespace SignalSharp.Protocol.Tests.SealedSender;

/// <summary>Server and sender certificates: libsignal-made ones validate in C#, C#-made ones in libsignal, bad ones nowhere.</summary>
public sealed class CertificateInteropTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    private static readonly string Aci = "9d0652a3-dcc3-4d11-975f-74d61598733f";

    [Fact]
    public async Task Node_certificates_parse_and_validate_in_csharp()
    {
        var oracle = await fixture.GetAsync();
        var ca = new CertificateAuthority(keyId: 7);
        var identity = ECKeyPair.Generate().PublicKey;
        var expiration = CertificateAuthority.Now + 3_600_000;
        var bytes = await ca.IssueInNodeAsync(oracle, Aci, 42, identity, expiration, "+14155550100");

        var certificate = SenderCertificate.Deserialize(bytes);
        Assert.Equal(Aci, certificate.SenderUuid);
        Assert.Equal(Guid.Parse(Aci), certificate.SenderAci);
        Assert.Equal("+14155550100", certificate.SenderE164);
        Assert.Equal(42u, certificate.SenderDeviceId);
        Assert.Equal(expiration, certificate.Expiration);
        Assert.Equal(identity, certificate.Key);
        Assert.Equal(7u, certificate.Signer.KeyId);
        Assert.Equal(ca.Server.PublicKey, certificate.Signer.Key);
        Assert.Equal(bytes, certificate.Serialize());

        Assert.True(certificate.Validate(ca.Root.PublicKey, CertificateAuthority.Now));
        Assert.True(certificate.Validate(ca.Root.PublicKey, expiration));
        Assert.False(certificate.Validate(ca.Root.PublicKey, expiration + 1));
        Assert.False(certificate.Validate(ECKeyPair.Generate().PublicKey, CertificateAuthority.Now));
        Assert.True(certificate.Validate([ECKeyPair.Generate().PublicKey, ca.Root.PublicKey], CertificateAuthority.Now));
        Assert.True(certificate.Signer.Validate(ca.Root.PublicKey));
    }

    [Fact]
    public async Task Csharp_certificates_parse_and_validate_in_node_and_match_node_bytes()
    {
        var oracle = await fixture.GetAsync();
        var ca = new CertificateAuthority(keyId: 9);
        var identity = ECKeyPair.Generate().PublicKey;
        var expiration = CertificateAuthority.Now + 60_000;
        var certificate = ca.Issue(Aci, 3, identity, expiration, "+4915112345678");

        var parsed = (await oracle.CallAsync("sealed.cert.parse", new JsonObject { ["certificate"] = B64(certificate.Serialize()) }))!;
        Assert.Equal(Aci, parsed["uuid"]!.GetValue<string>());
        Assert.Equal("+4915112345678", parsed["e164"]!.GetValue<string>());
        Assert.Equal(3u, parsed["device"]!.GetValue<uint>());
        Assert.Equal(expiration, parsed["expiration"]!.GetValue<ulong>());
        Assert.Equal(identity.Serialize(), Bytes(parsed["identityKey"]));
        Assert.Equal(9u, parsed["serverKeyId"]!.GetValue<uint>());

        Assert.True(await NodeValidatesAsync(oracle, certificate.Serialize(), ca.Root.PublicKey, CertificateAuthority.Now));
        Assert.True(await NodeValidatesAsync(oracle, certificate.Serialize(), ca.Root.PublicKey, expiration));
        Assert.False(await NodeValidatesAsync(oracle, certificate.Serialize(), ca.Root.PublicKey, expiration + 1));
        Assert.False(await NodeValidatesAsync(oracle, certificate.Serialize(), ECKeyPair.Generate().PublicKey, CertificateAuthority.Now));

        // Field layout: the signed inner certificate C# writes is the one node writes for the same content.
        var nodeMade = SenderCertificate.Deserialize(await ca.IssueInNodeAsync(oracle, Aci, 3, identity, expiration, "+4915112345678"));
        Assert.Equal(nodeMade.Signer.Certificate, certificate.Signer.Certificate);
        // The inner sender certificates differ only in the (randomised) signature of the embedded server certificate.
        var nodeInner = (byte[])nodeMade.Certificate.Clone();
        var at = nodeInner.AsSpan().IndexOf(nodeMade.Signer.Signature);
        Assert.True(at > 0);
        certificate.Signer.Signature.CopyTo(nodeInner, at);
        Assert.Equal(nodeInner, certificate.Certificate);
    }

    [Fact]
    public async Task Wrongly_signed_and_revoked_certificates_are_rejected_on_both_sides()
    {
        var oracle = await fixture.GetAsync();
        var ca = new CertificateAuthority();
        var identity = ECKeyPair.Generate().PublicKey;

        // Sender certificate signed by a key that is not the certified server key.
        var forged = SenderCertificate.Create(Aci, null, 1, identity, CertificateAuthority.Now + 60_000, ca.ServerCertificate, ECKeyPair.Generate().PrivateKey);
        Assert.False(forged.Validate(ca.Root.PublicKey, CertificateAuthority.Now));
        Assert.False(await NodeValidatesAsync(oracle, forged.Serialize(), ca.Root.PublicKey, CertificateAuthority.Now));

        // Server certificate signed by another root.
        var rogueServer = ServerCertificate.Create(1, ca.Server.PublicKey, ECKeyPair.Generate().PrivateKey);
        var rogue = SenderCertificate.Create(Aci, null, 1, identity, CertificateAuthority.Now + 60_000, rogueServer, ca.Server.PrivateKey);
        Assert.False(rogue.Validate(ca.Root.PublicKey, CertificateAuthority.Now));
        Assert.False(await NodeValidatesAsync(oracle, rogue.Serialize(), ca.Root.PublicKey, CertificateAuthority.Now));

        // A node-made certificate whose signed bytes were altered (the identity key swapped).
        var good = SenderCertificate.Deserialize(await ca.IssueInNodeAsync(oracle, Aci, 1, identity));
        var inner = Wire.SenderCertificateBody.Types.Certificate.Parser.ParseFrom(good.Certificate);
        inner.IdentityKey = ByteString.CopyFrom(ECKeyPair.Generate().PublicKey.Serialize());
        var altered = new Wire.SenderCertificateBody { Certificate = inner.ToByteString(), Signature = ByteString.CopyFrom(good.Signature) }.ToByteArray();
        Assert.False(SenderCertificate.Deserialize(altered).Validate(ca.Root.PublicKey, CertificateAuthority.Now));
        Assert.False(await NodeValidatesAsync(oracle, altered, ca.Root.PublicKey, CertificateAuthority.Now));

        // The revoked test key id is refused even when correctly signed.
        var revokedServer = ServerCertificate.Create(0xDEADC357, ca.Server.PublicKey, ca.Root.PrivateKey);
        var revoked = SenderCertificate.Create(Aci, null, 1, identity, CertificateAuthority.Now + 60_000, revokedServer, ca.Server.PrivateKey);
        Assert.False(revoked.Validate(ca.Root.PublicKey, CertificateAuthority.Now));
        Assert.False(await NodeValidatesAsync(oracle, revoked.Serialize(), ca.Root.PublicKey, CertificateAuthority.Now));

        Assert.Throws<InvalidCertificateException>(() => SenderCertificate.Deserialize([0x0a, 0x03, 0x01]));
    }

    [Fact]
    public async Task Uuid_bytes_and_known_signer_ids_are_understood()
    {
        var oracle = await fixture.GetAsync();
        var ca = new CertificateAuthority();
        var identity = ECKeyPair.Generate().PublicKey;
        var inner = new Wire.SenderCertificateBody.Types.Certificate
        {
            SenderDevice = 5,
            Expires = CertificateAuthority.Now + 60_000,
            IdentityKey = ByteString.CopyFrom(identity.Serialize()),
            SignerCertificate = ByteString.CopyFrom(ca.ServerCertificate.Serialize()),
            UuidBytes = ByteString.CopyFrom(Guid.Parse(Aci).ToByteArray(bigEndian: true)),
        }.ToByteArray();
        var bytes = new Wire.SenderCertificateBody
        {
            Certificate = ByteString.CopyFrom(inner),
            Signature = ByteString.CopyFrom(ca.Server.PrivateKey.CalculateSignature(inner)),
        }.ToByteArray();
        var certificate = SenderCertificate.Deserialize(bytes);
        Assert.Equal(Aci, certificate.SenderUuid);
        Assert.True(certificate.Validate(ca.Root.PublicKey, CertificateAuthority.Now));
        var parsed = (await oracle.CallAsync("sealed.cert.parse", new JsonObject { ["certificate"] = B64(bytes) }))!;
        Assert.Equal(Aci, parsed["uuid"]!.GetValue<string>());
        Assert.True(await NodeValidatesAsync(oracle, bytes, ca.Root.PublicKey, CertificateAuthority.Now));

        // Signer named by id: libsignal's test certificate 0x7357C357 is signed by the all-zero private key's public key.
        var testRoot = ECPrivateKey.Deserialize(new byte[32]).GetPublicKey();
        var known = KnownServerCertificates.Find(0x7357C357)!;
        Assert.True(known.Validate(testRoot));
        Assert.True(KnownServerCertificates.Find(3)!.Validate(ECPublicKey.Deserialize(Convert.FromBase64String("BUkY0I+9+oPgDCn4+Ac6Iu813yvqkDr/ga8DzLxFxuk6"))));
        var byId = new Wire.SenderCertificateBody.Types.Certificate
        {
            SenderDevice = 1,
            Expires = CertificateAuthority.Now + 60_000,
            IdentityKey = ByteString.CopyFrom(identity.Serialize()),
            SignerId = 0x7357C357,
            UuidString = Aci,
        }.ToByteArray();
        var byIdBytes = new Wire.SenderCertificateBody { Certificate = ByteString.CopyFrom(byId), Signature = ByteString.CopyFrom(new byte[64]) }.ToByteArray();
        var referenced = SenderCertificate.Deserialize(byIdBytes);
        Assert.Equal(0x7357C357u, referenced.Signer.KeyId);
        Assert.False(referenced.Validate(testRoot, CertificateAuthority.Now));
        var unknown = new Wire.SenderCertificateBody.Types.Certificate { SenderDevice = 1, Expires = 1, IdentityKey = ByteString.CopyFrom(identity.Serialize()), SignerId = 12345, UuidString = Aci };
        Assert.Throws<InvalidCertificateException>(() => SenderCertificate.Deserialize(
            new Wire.SenderCertificateBody { Certificate = unknown.ToByteString(), Signature = ByteString.CopyFrom(new byte[64]) }.ToByteArray()));
    }

    private static async Task<bool> NodeValidatesAsync(NodeOracle oracle, byte[] certificate, ECPublicKey root, ulong time) =>
        (await oracle.CallAsync("sealed.cert.validate", new JsonObject
        {
            ["certificate"] = B64(certificate),
            ["trustRoots"] = new JsonArray(B64(root.Serialize())),
            ["time"] = time,
        }))!.GetValue<bool>();
}
