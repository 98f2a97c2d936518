using System.Text.Json.Nodes;
using SignalSharp.Account.Linking;
using SignalSharp.Account.Storage;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Account.Tests;

/// <summary>One mock server with contact Alice and one linked, started account (contact sync done), shared by a test class.</summary>
public sealed class MockMediaFixture : IAsyncLifetime
{
    private string? config;

    public MockServer Mock { get; private set; } = null!;

    public ServerProfile Profile { get; private set; } = null!;

    public LinkedAccount Account { get; private set; } = null!;

    public string AliceAci => Mock.Contact("alice")["aci"]!.GetValue<string>();

    public string AliceNumber => Mock.Contact("alice")["number"]!.GetValue<string>();

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        Mock = await MockServer.StartAsync(contacts: "Alice", ct);
        config = Directory.CreateTempSubdirectory("signalsharp-media-").FullName;
        var profilePath = Path.Combine(config, "mock.json");
        Mock.WriteServerProfile(profilePath);
        Task<JsonNode?>? phoneSide = null;
        Profile = ServerProfile.Load(profilePath);
        var linker = new DeviceLinker(Profile, config) { OneTimePreKeyCount = 10 };
        var record = await linker.LinkAsync("SignalSharp media test", uri =>
            phoneSide = Mock.CommandAsync("link", new JsonObject { ["provisionUrl"] = uri.OriginalString }, ct), ct);
        await phoneSide!.WaitAsync(ct);
        Account = (await LinkedAccount.OpenAsync(AccountDirectory.For(config, record.Name), cancellationToken: ct))!;
        await Account.StartAsync(ct);
        while (await Account.Database.Contacts.GetByE164Async(AliceNumber, ct) is null)
        {
            await Task.Delay(100, ct);
        }
    }

    public async Task DisposeAsync()
    {
        if (Account is not null)
        {
            await Account.DisposeAsync();
        }

        if (Mock is not null)
        {
            await Mock.DisposeAsync();
        }

        if (config is not null)
        {
            Directory.Delete(config, recursive: true);
        }
    }
}
