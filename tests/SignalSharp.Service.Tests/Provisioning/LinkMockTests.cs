using System.Text.Json.Nodes;
using SignalSharp.Crypto;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Api;
using SignalSharp.Service.Provisioning;
using SignalSharp.Service.Tests.Transport;
using SignalSharp.Service.Transport;

namespace SignalSharp.Service.Tests.Provisioning;

/// <summary>
/// Linking against the real mock, as far as the service layer goes: provisioning socket, link URI, the phone
/// "scanning" it (harness <c>link</c>), and the decrypted ProvisionMessage naming the phone's account.
/// Uses its own server: the unfinished link stays pending in the mock's FIFO provisioning queue.
/// </summary>
public sealed class LinkMockTests(NodeOracleFixture oracleFixture) : IClassFixture<NodeOracleFixture>
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

    /// <summary>
    /// The whole link through the service layer, with pre-keys made by node's libsignal (signed with the identity
    /// keys the phone sent) standing in for the key generation that the linking layer will own: then a contact's
    /// message reaches the new device.
    /// </summary>
    [Fact]
    public async Task A_linked_device_uploads_keys_completes_the_link_and_receives_from_a_contact()
    {
        await using var mock = await MockServer.StartAsync(contacts: "Alice");
        var oracle = await oracleFixture.GetAsync();
        var profile = MockProfile.For(mock);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var session = ProvisioningSession.Create();
        ProvisionData data;
        Task<JsonNode?> link;
        await using (var socket = await ProvisioningSocket.ConnectAsync(profile, cancellationToken: timeout.Token))
        {
            var address = await socket.WaitForAddressAsync(timeout.Token);
            link = mock.CommandAsync("link", new JsonObject { ["provisionUrl"] = session.LinkUri(address).OriginalString }, timeout.Token);
            data = session.Decrypt(await socket.WaitForEnvelopeAsync(timeout.Token));
        }

        var aciKeys = await DeviceKeysAsync(oracle, data.AciIdentity, 100);
        var pniKeys = await DeviceKeysAsync(oracle, data.PniIdentity!, 200);
        var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18));
        LinkDeviceResponse linked;
        await using (var anonymous = new ChatConnection(profile))
        {
            await anonymous.StartAsync(timeout.Token);
            linked = await new ChatApi(anonymous).LinkDeviceAsync(data.Aci.ToString(), password, new LinkDeviceRequest(
                data.ProvisioningCode,
                new LinkedDeviceAttributes(4321, 1234, "SignalSharp test"u8.ToArray()),
                aciKeys.SignedPreKey!,
                pniKeys.SignedPreKey!,
                aciKeys.PqLastResortPreKey!,
                pniKeys.PqLastResortPreKey!), timeout.Token);
        }

        Assert.Equal(data.Aci.ToString(), linked.Uuid);
        Assert.Equal(data.Pni.ToString(), linked.Pni);
        Assert.True(linked.DeviceId >= 2);

        await using var chat = new ChatConnection(profile, new ChatCredentials(linked.Uuid, linked.DeviceId, password));
        await chat.StartAsync(timeout.Token);
        var api = new ChatApi(chat);
        await api.SetPreKeysAsync(aciKeys with { SignedPreKey = null, PqLastResortPreKey = null }, cancellationToken: timeout.Token);
        await api.SetPreKeysAsync(pniKeys with { SignedPreKey = null, PqLastResortPreKey = null }, pni: true, timeout.Token);

        // The phone's side of the link now completes (and the harness pops one key per mock device for sessions).
        var device = (await link.WaitAsync(timeout.Token))!;
        Assert.Equal(linked.DeviceId, device["deviceId"]!.GetValue<uint>());
        // Five of each uploaded; the phone and Alice each used one EC and one Kyber key to open a session with us.
        Assert.Equal(new PreKeyCounts(3, 3), await api.GetPreKeyCountsAsync(cancellationToken: timeout.Token));
        Assert.Equal(new PreKeyCounts(5, 5), await api.GetPreKeyCountsAsync(pni: true, timeout.Token));

        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var send = mock.CommandAsync("sendText", new JsonObject { ["from"] = "alice", ["text"] = "welcome", ["timestamp"] = timestamp }, timeout.Token);
        await foreach (var push in chat.ReadPushesAsync(timeout.Token))
        {
            if (push is EnvelopeDelivery delivery)
            {
                await delivery.AckAsync(timeout.Token);
                if (delivery.Envelope.SourceServiceId == mock.Contact("alice")["aci"]!.GetValue<string>())
                {
                    Assert.Equal(EnvelopeType.PreKeyMessage, delivery.Envelope.Type);
                    Assert.Equal((ulong)timestamp, delivery.Envelope.ClientTimestamp);
                    Assert.Equal(data.Aci.ToString(), delivery.Envelope.DestinationServiceId);
                    break;
                }
            }
        }

        await send.WaitAsync(timeout.Token);
    }

    private static async Task<PreKeyUpload> DeviceKeysAsync(NodeOracle oracle, IdentityKeyMaterial identity, int firstId)
    {
        var keys = (await oracle.CallAsync("service.deviceKeys", new JsonObject
        {
            ["identityPrivate"] = Convert.ToBase64String(identity.PrivateKey),
            ["firstId"] = firstId,
            ["count"] = 5,
        }))!;
        static byte[] B(JsonNode node, string name) => Convert.FromBase64String(node[name]!.GetValue<string>());
        static SignedPreKeyEntity Signed(JsonNode node) => new(node["keyId"]!.GetValue<uint>(), B(node, "publicKey"), B(node, "signature"));
        return new PreKeyUpload
        {
            SignedPreKey = Signed(keys["signedPreKey"]!),
            PqLastResortPreKey = Signed(keys["pqLastResortPreKey"]!),
            PreKeys = keys["preKeys"]!.AsArray().Select(k => new PreKeyEntity(k!["keyId"]!.GetValue<uint>(), B(k, "publicKey"))).ToList(),
            PqPreKeys = keys["pqPreKeys"]!.AsArray().Select(k => Signed(k!)).ToList(),
        };
    }

    // The private key must be the one behind the public key: X25519(private, base point) = public.
    private static void AssertKeyPair(IdentityKeyMaterial identity)
    {
        Assert.Equal(33, identity.PublicKey.Length);
        Assert.Equal(0x05, identity.PublicKey[0]);
        Assert.Equal(32, identity.PrivateKey.Length);
        var derived = ECPrivateKey.Deserialize(identity.PrivateKey).GetPublicKey().Serialize();
        Assert.Equal(identity.PublicKey, derived);
    }
}
