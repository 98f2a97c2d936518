using System.Text.Json.Nodes;
using SignalSharp.Crypto;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Api;
using SignalSharp.Service.Tests.Transport;
using SignalSharp.Service.Transport;

namespace SignalSharp.Service.Tests.Api;

/// <summary>Registration as a new primary against the mock, with pre-keys signed in node's libsignal.</summary>
[Collection(MockServerCollection.Name)]
public sealed class RegistrationApiMockTests(MockServerFixture fixture, NodeOracleFixture oracleFixture) : IClassFixture<NodeOracleFixture>
{
    [Fact]
    public async Task Session_captcha_code_and_registration_give_an_account_that_can_log_in()
    {
        var mock = await fixture.GetAsync();
        var oracle = await oracleFixture.GetAsync();
        var profile = MockProfile.For(mock);
        await using var anonymous = new ChatConnection(profile);
        await anonymous.StartAsync();
        var api = new RegistrationApi(anonymous);
        var number = "+1555" + Random.Shared.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var session = await api.CreateSessionAsync(number);
        Assert.False(session.Verified);
        Assert.Contains("captcha", session.RequestedInformation!);
        Assert.True((await api.SubmitCaptchaAsync(session.Id, "signal-hcaptcha.x.y.z")).AllowedToRequestCode);
        await api.RequestCodeAsync(session.Id);
        Assert.False((await api.SubmitCodeAsync(session.Id, "000000")).Verified);
        Assert.True((await api.SubmitCodeAsync(session.Id, mock.Ready["verificationCode"]!.GetValue<string>())).Verified);
        Assert.True((await api.GetSessionAsync(session.Id)).Verified);

        var aci = await IdentityWithKeysAsync(oracle);
        var pni = await IdentityWithKeysAsync(oracle);
        var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var account = await api.RegisterAsync(number, password, new RegisterAccountRequest(
            session.Id,
            new RegistrationAccountAttributes(1111, 2222, Convert.ToBase64String(new byte[32])),
            aci.IdentityKey,
            pni.IdentityKey,
            aci.Keys.SignedPreKey!,
            pni.Keys.SignedPreKey!,
            aci.Keys.PqLastResortPreKey!,
            pni.Keys.PqLastResortPreKey!));
        Assert.Equal(number, account.Number);
        Assert.True(Guid.TryParse(account.Uuid, out _));
        Assert.True(Guid.TryParse(account.Pni, out _));

        await using var chat = new ChatConnection(profile, new ChatCredentials(account.Uuid, 1, password));
        await chat.StartAsync();
        var whoami = await new ChatApi(chat).WhoAmIAsync();
        Assert.Equal(account.Uuid, whoami.Uuid);
        Assert.Equal(number, whoami.Number);

        // Anyone can now fetch the new account's bundle: our identity key and signed pre-key as uploaded.
        var bundle = await new ChatApi(anonymous).GetPreKeysAsync(account.Uuid, 1);
        Assert.Equal(aci.IdentityKey, bundle.IdentityKey);
        Assert.Equal(aci.Keys.SignedPreKey!.PublicKey, Assert.Single(bundle.Devices).SignedPreKey.PublicKey);
    }

    [Fact]
    public async Task Registering_with_an_unverified_session_is_refused()
    {
        var mock = await fixture.GetAsync();
        await using var anonymous = new ChatConnection(MockProfile.For(mock));
        await anonymous.StartAsync();
        var api = new RegistrationApi(anonymous);
        var session = await api.CreateSessionAsync("+15550001111");
        var key = new SignedPreKeyEntity(1, new byte[33], new byte[64]);
        var error = await Assert.ThrowsAsync<UnexpectedResponseException>(() => api.RegisterAsync("+15550001111", "pw", new RegisterAccountRequest(
            session.Id, new RegistrationAccountAttributes(1, 2, "x"), new byte[33], new byte[33], key, key, key, key)));
        Assert.Equal(400, error.Status);
        Assert.Contains("not verified", error.Message, StringComparison.Ordinal);
    }

    private static async Task<(byte[] IdentityKey, PreKeyUpload Keys)> IdentityWithKeysAsync(NodeOracle oracle)
    {
        var identity = ECPrivateKey.Generate();
        var keys = (await oracle.CallAsync("service.deviceKeys", new JsonObject
        {
            ["identityPrivate"] = Convert.ToBase64String(identity.Serialize()),
            ["count"] = 0,
        }))!;
        static byte[] B(JsonNode node, string name) => Convert.FromBase64String(node[name]!.GetValue<string>());
        static SignedPreKeyEntity Signed(JsonNode node) => new(node["keyId"]!.GetValue<uint>(), B(node, "publicKey"), B(node, "signature"));
        return (
            identity.GetPublicKey().Serialize(),
            new PreKeyUpload { SignedPreKey = Signed(keys["signedPreKey"]!), PqLastResortPreKey = Signed(keys["pqLastResortPreKey"]!) });
    }
}
