using System.Text.Json.Nodes;
using SignalSharp.Crypto;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Api;
using SignalSharp.Service.Tests.Transport;
using SignalSharp.Service.Transport;

namespace SignalSharp.Service.Tests.Api;

/// <summary>The typed chat routes against the mock: bodies, and every status the send loop must understand.</summary>
[Collection(MockServerCollection.Name)]
public sealed class ChatApiMockTests(MockServerFixture fixture, NodeOracleFixture oracleFixture) : IClassFixture<NodeOracleFixture>
{
    private static readonly ChatConnectionOptions Fast = new() { RequestTimeout = TimeSpan.FromSeconds(15) };

    [Fact]
    public async Task Bundles_of_a_contact_carry_identity_signed_and_kyber_keys()
    {
        var mock = await fixture.GetAsync();
        await using var chat = new ChatConnection(MockProfile.For(mock), options: Fast);
        await chat.StartAsync();
        var api = new ChatApi(chat);
        var alice = mock.Contact("alice")["aci"]!.GetValue<string>();

        var bundles = await api.GetPreKeysAsync(alice);
        Assert.Equal(33, bundles.IdentityKey.Length);
        Assert.Equal(0x05, bundles.IdentityKey[0]);
        var device = Assert.Single(bundles.Devices);
        Assert.Equal(1U, device.DeviceId);
        Assert.InRange(device.RegistrationId, 1U, 16383U);
        Assert.Equal((33, 64), (device.SignedPreKey.PublicKey.Length, device.SignedPreKey.Signature.Length));
        Assert.Equal((1569, (byte)0x08, 64), (device.PqPreKey.PublicKey.Length, device.PqPreKey.PublicKey[0], device.PqPreKey.Signature.Length));

        var one = await api.GetPreKeysAsync(alice, deviceId: 1);
        Assert.Equal(bundles.IdentityKey, one.IdentityKey);
        await Assert.ThrowsAsync<UnregisteredRecipientException>(() => api.GetPreKeysAsync(Guid.NewGuid().ToString()));
        await Assert.ThrowsAsync<UnregisteredRecipientException>(() => api.GetPreKeysAsync(alice, deviceId: 9));
    }

    [Fact]
    public async Task Authenticated_routes_whoami_prekey_upload_and_counts_storage_auth()
    {
        var mock = await fixture.GetAsync();
        var (device, chat) = await SecondaryAsync(mock);
        await using var _ = chat;
        var api = new ChatApi(chat);

        var whoami = await api.WhoAmIAsync();
        Assert.Equal(device["aci"]!.GetValue<string>(), whoami.Uuid);

        var keys = Enumerable.Range(1, 7).Select(i => new PreKeyEntity((uint)(1000 + i), RandomEcPublicKey())).ToList();
        await api.SetPreKeysAsync(new PreKeyUpload { PreKeys = keys });
        Assert.Equal(7, (await api.GetPreKeyCountsAsync()).Count);
        await api.SetPreKeysAsync(new PreKeyUpload { PreKeys = keys.Take(2).ToList() }, pni: true);
        Assert.Equal(2, (await api.GetPreKeyCountsAsync(pni: true)).Count);

        var storage = await api.GetStorageCredentialsAsync();
        Assert.False(string.IsNullOrEmpty(storage.Username));
        Assert.DoesNotContain(storage.Password, storage.ToString(), StringComparison.Ordinal);

        await using var anonymous = new ChatConnection(MockProfile.For(mock), options: Fast);
        await anonymous.StartAsync();
        await Assert.ThrowsAsync<ServiceAuthenticationException>(() => new ChatApi(anonymous).WhoAmIAsync());
    }

    [Fact]
    public async Task The_sender_certificate_validates_under_the_profile_trust_root_in_libsignal()
    {
        var mock = await fixture.GetAsync();
        var oracle = await oracleFixture.GetAsync();
        var (device, chat) = await SecondaryAsync(mock);
        await using var _ = chat;
        var profile = MockProfile.For(mock);

        var certificate = await new ChatApi(chat).GetSenderCertificateAsync();
        var seen = (await oracle.CallAsync("service.validateSenderCertificate", new JsonObject
        {
            ["certificate"] = Convert.ToBase64String(certificate),
            ["trustRoot"] = Convert.ToBase64String(profile.SealedSenderTrustRoots[0]),
        }))!;
        Assert.True(seen["valid"]!.GetValue<bool>());
        Assert.Equal(device["aci"]!.GetValue<string>(), seen["senderUuid"]!.GetValue<string>());
        Assert.Equal(device["deviceId"]!.GetValue<int>(), seen["senderDevice"]!.GetValue<int>());
        Assert.Equal(device["number"]!.GetValue<string>(), seen["senderE164"]!.GetValue<string>());

        var withoutNumber = await new ChatApi(chat).GetSenderCertificateAsync(includeE164: false);
        var seenWithout = (await oracle.CallAsync("service.validateSenderCertificate", new JsonObject
        {
            ["certificate"] = Convert.ToBase64String(withoutNumber),
            ["trustRoot"] = Convert.ToBase64String(profile.SealedSenderTrustRoots[0]),
        }))!;
        Assert.Null(seenWithout["senderE164"]);
    }

    [Fact]
    public async Task Send_statuses_mismatched_stale_unknown_unauthorized_rate_limited_and_failed_decryption()
    {
        var mock = await fixture.GetAsync();
        var (device, chat) = await SecondaryAsync(mock);
        await using var _ = chat;
        var api = new ChatApi(chat);
        var alice = mock.Contact("alice")["aci"]!.GetValue<string>();
        var aliceDevice = Assert.Single((await api.GetPreKeysAsync(alice)).Devices);
        var timestamp = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var missing = await api.SendMessageAsync(alice, new DeviceCiphertextList([], timestamp));
        Assert.Equal(new SendMessageOutcome.MismatchedDevices([1U], []), missing, new OutcomeComparer());

        var extra = await api.SendMessageAsync(alice, new DeviceCiphertextList(
            [new(1, 1, aliceDevice.RegistrationId, [1]), new(1, 5, 1, [1])], timestamp));
        Assert.Equal(new SendMessageOutcome.MismatchedDevices([], [5U]), extra, new OutcomeComparer());

        var stale = await api.SendMessageAsync(alice, new DeviceCiphertextList([new(1, 1, aliceDevice.RegistrationId ^ 0x55, [1])], timestamp));
        Assert.Equal(new SendMessageOutcome.StaleDevices([1U]), stale, new OutcomeComparer());

        // Garbage for the right device reaches the mock's libsignal, which reports the failure as a 500.
        var garbage = await Assert.ThrowsAsync<UnexpectedResponseException>(() => api.SendMessageAsync(alice,
            new DeviceCiphertextList([new(1, 1, aliceDevice.RegistrationId, [0x44, 1, 2, 3])], timestamp)));
        Assert.Equal(500, garbage.Status);
        Assert.False(string.IsNullOrEmpty(garbage.Detail));

        await Assert.ThrowsAsync<UnregisteredRecipientException>(() => api.SendMessageAsync(Guid.NewGuid().ToString(), new DeviceCiphertextList([], timestamp)));

        await using var anonymous = new ChatConnection(MockProfile.For(mock), options: Fast);
        await anonymous.StartAsync();
        var denied = await Assert.ThrowsAsync<ServiceAuthenticationException>(() => new ChatApi(anonymous).SendMessageAsync(
            alice, new DeviceCiphertextList([], timestamp), unidentifiedAccessKey: new byte[16]));
        Assert.Contains("access key", denied.Message, StringComparison.OrdinalIgnoreCase);

        await mock.CommandAsync("rateLimit", new JsonObject { ["source"] = device["aci"]!.GetValue<string>(), ["target"] = "alice" });
        try
        {
            var limited = await Assert.ThrowsAsync<RateLimitChallengeException>(() => api.SendMessageAsync(alice, new DeviceCiphertextList([], timestamp)));
            Assert.Equal("token", limited.Token);
            Assert.Equal(["captcha"], limited.Options);
        }
        finally
        {
            await mock.CommandAsync("stopRateLimiting", new JsonObject { ["source"] = device["aci"]!.GetValue<string>(), ["target"] = "alice" });
        }
    }

    private static byte[] RandomEcPublicKey() => ECPrivateKey.Generate().GetPublicKey().Serialize();

    private static async Task<(JsonNode Device, ChatConnection Chat)> SecondaryAsync(MockServer mock)
    {
        var owner = (await mock.CommandAsync("createAccount", new JsonObject { ["name"] = "api-" + Guid.NewGuid().ToString("N")[..8] }))!;
        var device = (await mock.CommandAsync("createSecondary", new JsonObject { ["of"] = owner["name"]!.GetValue<string>() }))!;
        var chat = new ChatConnection(
            MockProfile.For(mock),
            new ChatCredentials(device["aci"]!.GetValue<string>(), device["deviceId"]!.GetValue<uint>(), device["password"]!.GetValue<string>()),
            Fast);
        await chat.StartAsync();
        return (device, chat);
    }

    // Records holding lists compare the lists by reference; compare their contents instead.
    private sealed class OutcomeComparer : IEqualityComparer<SendMessageOutcome>
    {
        public bool Equals(SendMessageOutcome? x, SendMessageOutcome? y) => (x, y) switch
        {
            (SendMessageOutcome.MismatchedDevices a, SendMessageOutcome.MismatchedDevices b) => a.Missing.SequenceEqual(b.Missing) && a.Extra.SequenceEqual(b.Extra),
            (SendMessageOutcome.StaleDevices a, SendMessageOutcome.StaleDevices b) => a.Stale.SequenceEqual(b.Stale),
            _ => Equals(x, y),
        };

        public int GetHashCode(SendMessageOutcome obj) => obj.GetType().GetHashCode();
    }
}
