using System.Text.Json.Nodes;
using SignalSharp.Account.Linking;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Faults.Tests.Support;

/// <summary>Signal's mock server with our device linked to its primary phone, in a temporary config directory.</summary>
internal sealed class LinkedMock : IAsyncDisposable
{
    private LinkedMock(MockServer server, string config, string number)
    {
        Server = server;
        Config = config;
        Number = number;
    }

    public MockServer Server { get; }

    /// <summary>The config directory the daemon is started with.</summary>
    public string Config { get; }

    public string Number { get; }

    /// <summary>The server profile linking used; a test may point its chat URL elsewhere and start the daemon with it.</summary>
    public string ProfilePath => Path.Combine(Config, "mock.json");

    public static async Task<LinkedMock> StartAsync(CancellationToken ct, string contacts = "Alice")
    {
        var mock = await MockServer.StartAsync(contacts, ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-faults-").FullName;
        var profilePath = Path.Combine(config, "mock.json");
        mock.WriteServerProfile(profilePath);
        Task<JsonNode?>? scan = null;
        var record = await new DeviceLinker(ServerProfile.Load(profilePath), config) { OneTimePreKeyCount = 5 }.LinkAsync("fault test",
            uri => scan = mock.CommandAsync("link", new JsonObject { ["provisionUrl"] = uri.OriginalString }, ct), ct);
        await scan!;
        return new LinkedMock(mock, config, record.Name);
    }

    /// <summary>Sends the daemon's chat connections through <paramref name="port"/> on loopback (a fault proxy).</summary>
    public void RouteChatThrough(int port)
    {
        var profile = JsonNode.Parse(File.ReadAllText(ProfilePath))!.AsObject();
        var chat = new UriBuilder(profile["chatUrl"]!.GetValue<string>()) { Port = port };
        profile["chatUrl"] = chat.Uri.ToString().TrimEnd('/');
        File.WriteAllText(ProfilePath, profile.ToJsonString());
    }

    /// <summary>The chat endpoint as the profile names it, before any rerouting.</summary>
    public System.Net.IPEndPoint ChatEndPoint => new(System.Net.IPAddress.Loopback, new Uri(Server.Origin).Port);

    /// <param name="throughProfile">Start it with the profile file (`--server`), e.g. after <see cref="RouteChatThrough"/>.</param>
    public DaemonProcess Daemon(bool throughProfile = false) => new(Config, Number, DaemonProcess.FreePort(), throughProfile ? ProfilePath : null);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(Config, recursive: true);
    }
}
