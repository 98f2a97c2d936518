using System.Text.Json.Nodes;
using Org.BouncyCastle.Crypto.Parameters;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Provisioning;
using SignalSharp.Service.Tests.Transport;
using SignalSharp.Service.Transport;

namespace SignalSharp.Service.Tests.Provisioning;

/// <summary>
/// Linking against the real mock, as far as the service layer goes: provisioning socket, link URI, the phone
/// "scanning" it (harness <c>link</c>), and the decrypted ProvisionMessage naming the phone's account.
/// Uses its own server: the unfinished link stays pending in the mock's FIFO provisioning queue.
/// </summary>
public sealed class LinkMockTests
{
    [Fact]
    public async Task The_phone_scanning_our_link_uri_sends_its_account_and_identity_keys()
    {
        await using var mock = await MockServer.StartAsync(contacts: "Alice");
        var profile = MockProfile.For(mock);
        using var session = ProvisioningSession.Create();
        await using var socket = await ProvisioningSocket.ConnectAsync(profile);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var address = await socket.WaitForAddressAsync(timeout.Token);

        // `link` only resolves after the device uploads keys, which is the next layer's job; here it stays pending.
        var link = mock.CommandAsync("link", new JsonObject { ["provisionUrl"] = session.LinkUri(address).OriginalString }, timeout.Token);
        var envelope = await socket.WaitForEnvelopeAsync(timeout.Token);
        var data = session.Decrypt(envelope);

        Assert.Equal(Guid.Parse(mock.Phone["aci"]!.GetValue<string>()), data.Aci);
        Assert.Equal(Guid.Parse(mock.Phone["pni"]!.GetValue<string>()), data.Pni);
        Assert.Equal(mock.Phone["number"]!.GetValue<string>(), data.Number);
        Assert.False(string.IsNullOrEmpty(data.ProvisioningCode));
        Assert.Equal(32, data.ProfileKey!.Length);
        Assert.Equal(32, data.MasterKey!.Length);
        Assert.Equal(64, data.AccountEntropyPool!.Length);
        AssertKeyPair(data.AciIdentity);
        AssertKeyPair(data.PniIdentity!);
        Assert.NotEqual(data.AciIdentity.PublicKey, data.PniIdentity!.PublicKey);
        Assert.False(link.IsCompleted);
    }

    // The private key must be the one behind the public key: X25519(private, base point) = public.
    private static void AssertKeyPair(IdentityKeyMaterial identity)
    {
        Assert.Equal(33, identity.PublicKey.Length);
        Assert.Equal(0x05, identity.PublicKey[0]);
        Assert.Equal(32, identity.PrivateKey.Length);
        var derived = new X25519PrivateKeyParameters(identity.PrivateKey, 0).GeneratePublicKey().GetEncoded();
        Assert.Equal(identity.PublicKey[1..], derived);
    }
}
