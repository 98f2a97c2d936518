using System.Text.Json.Nodes;
using Google.Protobuf;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Proto;
using SignalSharp.Service.Provisioning;

namespace SignalSharp.Service.Tests.Provisioning;

/// <summary>The provisioning cipher against the mock server's own encryptProvisionMessage (via the node oracle).</summary>
public sealed class ProvisioningCipherTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    [Fact]
    public async Task A_message_the_mock_encrypts_to_our_key_decrypts_to_every_field()
    {
        var oracle = await fixture.GetAsync();
        using var session = ProvisioningSession.Create();
        var aci = Guid.NewGuid();
        var pni = Guid.NewGuid();
        var profileKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var masterKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var result = (await oracle.CallAsync("service.provisionEnvelope", new JsonObject
        {
            ["publicKey"] = Convert.ToBase64String(session.PublicKey),
            ["aci"] = aci.ToString(),
            ["pni"] = pni.ToString(),
            ["number"] = "+15551234567",
            ["provisioningCode"] = "834512",
            ["profileKey"] = Convert.ToBase64String(profileKey),
            ["masterKey"] = Convert.ToBase64String(masterKey),
            ["accountEntropyPool"] = "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz01",
        }))!;

        var data = session.Decrypt(Convert.FromBase64String(result["envelope"]!.GetValue<string>()));

        Assert.Equal(aci, data.Aci);
        Assert.Equal(pni, data.Pni);
        Assert.Equal("+15551234567", data.Number);
        Assert.Equal("834512", data.ProvisioningCode);
        Assert.Equal(profileKey, data.ProfileKey);
        Assert.Equal(masterKey, data.MasterKey);
        Assert.Equal("abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz01", data.AccountEntropyPool);
        Assert.Equal("OWI", data.UserAgent);
        Assert.True(data.ReadReceipts);
        Assert.Equal(1U, data.ProvisioningVersion);
        Assert.Equal(Bytes(result, "aciPublic"), data.AciIdentity.PublicKey);
        Assert.Equal(Bytes(result, "aciPrivate"), data.AciIdentity.PrivateKey);
        Assert.Equal(Bytes(result, "pniPublic"), data.PniIdentity!.PublicKey);
        Assert.Equal(Bytes(result, "pniPrivate"), data.PniIdentity.PrivateKey);
        Assert.DoesNotContain(Convert.ToBase64String(data.AciIdentity.PrivateKey), data.ToString() + data.AciIdentity, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_for_another_key_is_rejected_by_its_mac()
    {
        var oracle = await fixture.GetAsync();
        using var intended = ProvisioningSession.Create();
        using var other = ProvisioningSession.Create();
        var result = (await oracle.CallAsync("service.provisionEnvelope", new JsonObject
        {
            ["publicKey"] = Convert.ToBase64String(intended.PublicKey),
            ["aci"] = Guid.NewGuid().ToString(),
            ["pni"] = Guid.NewGuid().ToString(),
            ["number"] = "+15550000000",
            ["provisioningCode"] = "1",
            ["profileKey"] = "",
            ["masterKey"] = "",
            ["accountEntropyPool"] = "x",
        }))!;
        var error = Assert.Throws<ServiceProtocolException>(() => other.Decrypt(Convert.FromBase64String(result["envelope"]!.GetValue<string>())));
        Assert.Contains("MAC", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_tampered_byte_of_the_body_is_detected()
    {
        using var session = ProvisioningSession.Create();
        var message = new ProvisionMessage
        {
            AciBinary = ByteString.CopyFrom(Guid.NewGuid().ToByteArray(bigEndian: true)),
            ProvisioningCode = "42",
            AciIdentityKeyPublic = ByteString.CopyFrom(new byte[33]),
            AciIdentityKeyPrivate = ByteString.CopyFrom(new byte[32]),
        };
        var (publicKey, body) = ProvisioningCipher.Encrypt(session.PublicKey, message.ToByteArray());
        var envelope = new ProvisionEnvelope { PublicKey = ByteString.CopyFrom(publicKey), Body = ByteString.CopyFrom(body) };
        Assert.Equal("42", session.Decrypt(envelope.ToByteArray()).ProvisioningCode);

        for (var i = 0; i < body.Length; i++)
        {
            var tampered = (byte[])body.Clone();
            tampered[i] ^= 0x01;
            var bad = new ProvisionEnvelope { PublicKey = ByteString.CopyFrom(publicKey), Body = ByteString.CopyFrom(tampered) };
            Assert.Throws<ServiceProtocolException>(() => session.Decrypt(bad.ToByteArray()));
        }

        Assert.Throws<ServiceProtocolException>(() => session.Decrypt([0xFF, 0xFF]));
        var shortBody = new ProvisionEnvelope { PublicKey = ByteString.CopyFrom(publicKey), Body = ByteString.CopyFrom(body.AsSpan(0, 40)) };
        Assert.Throws<ServiceProtocolException>(() => session.Decrypt(shortBody.ToByteArray()));
    }

    [Fact]
    public void Link_uri_percent_encodes_the_key_and_the_address()
    {
        using var session = ProvisioningSession.Create();
        var uri = session.LinkUri("a1b2c3d4-0000-4000-8000-00000000abcd");
        var text = uri.OriginalString;
        Assert.StartsWith("sgnl://linkdevice?uuid=a1b2c3d4-0000-4000-8000-00000000abcd&pub_key=", text, StringComparison.Ordinal);
        var encodedKey = text[(text.IndexOf("pub_key=", StringComparison.Ordinal) + 8)..];
        Assert.DoesNotContain('+', encodedKey);
        Assert.DoesNotContain('/', encodedKey);
        Assert.Equal(session.PublicKey, Convert.FromBase64String(Uri.UnescapeDataString(encodedKey)));
        Assert.Equal(33, session.PublicKey.Length);
        Assert.Equal(0x05, session.PublicKey[0]);
    }

    private static byte[] Bytes(JsonNode node, string name) => Convert.FromBase64String(node[name]!.GetValue<string>());
}
