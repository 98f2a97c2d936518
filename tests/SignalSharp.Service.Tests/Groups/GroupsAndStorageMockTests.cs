using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Api;
using SignalSharp.Service.Groups;
using SignalSharp.Service.Http;
using SignalSharp.Service.Storage;
using SignalSharp.Service.Tests.Transport;
using SignalSharp.Service.Transport;

namespace SignalSharp.Service.Tests.Groups;

/// <summary>
/// The group-credential route, the group server and the storage service against the mock: what comes back, and the
/// typed error for each refusal. (That a real presentation is accepted is proven in the account's group tests.)
/// </summary>
[Collection(MockServerCollection.Name)]
public sealed class GroupsAndStorageMockTests(MockServerFixture fixture)
{
    private const long Day = 86400;
    private static readonly ChatConnectionOptions Fast = new() { RequestTimeout = TimeSpan.FromSeconds(15) };

    [Fact]
    public async Task Group_auth_credentials_cover_each_day_of_the_window_and_need_an_authenticated_socket()
    {
        var mock = await fixture.GetAsync();
        var (device, chat) = await SecondaryAsync(mock);
        await using var _ = chat;
        var today = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / Day * Day;

        var answer = await new GroupCredentialsApi(chat).GetAsync(today, today + (7 * Day));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => today + (i * Day)), answer.Credentials.Select(c => c.RedemptionTime));
        // A serialized AuthCredentialWithPniResponse: version byte 3, then points and a proof.
        Assert.All(answer.Credentials, c => Assert.Equal(0x03, c.Credential[0]));
        Assert.Equal(device["pni"]!.GetValue<string>(), answer.Pni);

        await using var anonymous = new ChatConnection(MockProfile.For(mock), options: Fast);
        await anonymous.StartAsync();
        await Assert.ThrowsAsync<ServiceAuthenticationException>(() => new GroupCredentialsApi(anonymous).GetAsync(today, today + Day));
    }

    [Fact]
    public async Task The_group_server_refuses_a_presentation_that_does_not_verify()
    {
        var mock = await fixture.GetAsync();
        using var http = new ServiceHttpClient(MockProfile.For(mock));
        var client = new GroupServerClient(http);
        var publicParams = new byte[97];
        var presentation = new byte[300];
        Random.Shared.NextBytes(presentation);

        var denied = await Assert.ThrowsAsync<GroupAccessDeniedException>(() => client.GetGroupAsync(publicParams, presentation));
        Assert.Equal("Invalid credentials", denied.Detail);
        await Assert.ThrowsAsync<GroupAccessDeniedException>(() => client.GetGroupLogsAsync(publicParams, presentation, 0, DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
    }

    [Fact]
    public async Task A_fresh_account_has_no_manifest_and_unknown_storage_credentials_are_refused()
    {
        var mock = await fixture.GetAsync();
        var (_, chat) = await SecondaryAsync(mock);
        await using var __ = chat;
        var credentials = await new ChatApi(chat).GetStorageCredentialsAsync();
        using var http = new ServiceHttpClient(MockProfile.For(mock));
        var storage = new StorageServiceClient(http);

        Assert.Null(await storage.GetManifestAsync(credentials));
        Assert.Null(await storage.GetManifestIfNewerAsync(credentials, 0));
        Assert.Empty(await storage.ReadItemsAsync(credentials, []));

        var stranger = new StorageCredentials("0123456789abcdef", "nope");
        var refused = await Assert.ThrowsAsync<StorageAuthorizationException>(() => storage.GetManifestAsync(stranger));
        Assert.Equal(403, refused.Status);
    }

    [Fact]
    public async Task The_phones_storage_manifest_grows_with_a_group_and_its_items_can_be_read()
    {
        var mock = await fixture.GetAsync();
        // The phone's own storage credentials are reachable through a device of its account; the shared mock's
        // linked device may not exist, so a secondary of the phone asks.
        var device = (await mock.CommandAsync("createSecondary", new JsonObject { ["of"] = "phone" }))!;
        await using var chat = new ChatConnection(
            MockProfile.For(mock),
            new ChatCredentials(device["aci"]!.GetValue<string>(), device["deviceId"]!.GetValue<uint>(), device["password"]!.GetValue<string>()),
            Fast);
        await chat.StartAsync();
        var credentials = await new ChatApi(chat).GetStorageCredentialsAsync();
        using var http = new ServiceHttpClient(MockProfile.For(mock));
        var storage = new StorageServiceClient(http);
        var before = await storage.GetManifestAsync(credentials);

        await mock.CreateGroupAsync("Storage test group", ["alice"]);
        var after = await storage.GetManifestAsync(credentials);
        Assert.NotNull(after);
        Assert.True(after.Version > (before?.Version ?? 0));
        Assert.NotEmpty(after.Value);
        Assert.Null(await storage.GetManifestIfNewerAsync(credentials, after.Version));
        Assert.Equal(after.Version, (await storage.GetManifestIfNewerAsync(credentials, after.Version - 1))?.Version);
    }

    private static async Task<(JsonNode Device, ChatConnection Chat)> SecondaryAsync(MockServer mock)
    {
        var owner = (await mock.CommandAsync("createAccount", new JsonObject { ["name"] = "grp-" + Guid.NewGuid().ToString("N")[..8] }))!;
        var device = (await mock.CommandAsync("createSecondary", new JsonObject { ["of"] = owner["name"]!.GetValue<string>() }))!;
        var chat = new ChatConnection(
            MockProfile.For(mock),
            new ChatCredentials(device["aci"]!.GetValue<string>(), device["deviceId"]!.GetValue<uint>(), device["password"]!.GetValue<string>()),
            Fast);
        await chat.StartAsync();
        return (device, chat);
    }
}
