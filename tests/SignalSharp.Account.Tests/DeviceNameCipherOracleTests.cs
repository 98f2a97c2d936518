using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SignalSharp.Account.Linking;
using SignalSharp.Crypto;
using SignalSharp.Interop.Testing;

namespace SignalSharp.Account.Tests;

/// <summary>
/// The encrypted device name against node (interop/oracle/devicename.mjs: libsignal's X25519, Signal's DeviceName
/// protobuf as the mock compiles it, node's HMAC and AES-CTR; libsignal 0.100 has no device-name cipher of its own):
/// byte-identical for a fixed ephemeral key, and each side reads what the other wrote.
/// </summary>
public sealed class DeviceNameCipherOracleTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    [Theory]
    [InlineData("SignalSharp")]
    [InlineData("")]
    [InlineData("Büro-Rechner 🖥️ (linked)")]
    public async Task Ciphertext_matches_node_byte_for_byte_and_each_side_decrypts_the_other(string name)
    {
        var oracle = await fixture.GetAsync();
        var identity = ECKeyPair.Generate();
        var ephemeral = ECKeyPair.Generate();

        var ours = DeviceNameCipher.Encrypt(name, identity.PublicKey, ephemeral);
        var theirs = (await oracle.CallAsync("deviceName.encrypt", new JsonObject
        {
            ["name"] = name,
            ["identityPublic"] = Convert.ToBase64String(identity.PublicKey.Serialize()),
            ["ephemeralPrivate"] = Convert.ToBase64String(ephemeral.PrivateKey.Serialize()),
        }))!.GetValue<string>();

        Assert.Equal(theirs, Convert.ToBase64String(ours));
        Assert.Equal(name, (await oracle.CallAsync("deviceName.decrypt", new JsonObject
        {
            ["encrypted"] = Convert.ToBase64String(DeviceNameCipher.Encrypt(name, identity.PublicKey)),
            ["identityPrivate"] = Convert.ToBase64String(identity.PrivateKey.Serialize()),
        }))!.GetValue<string>());
        Assert.Equal(name, DeviceNameCipher.Decrypt(Convert.FromBase64String(theirs), identity.PrivateKey));
    }

    [Fact]
    public void Another_identity_cannot_read_the_name()
    {
        var encrypted = DeviceNameCipher.Encrypt("private", ECKeyPair.Generate().PublicKey);

        Assert.Throws<CryptographicException>(() => DeviceNameCipher.Decrypt(encrypted, ECKeyPair.Generate().PrivateKey));
    }
}
