using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using SignalSharp.MockHarness;

namespace SignalSharp.Interop.Testing;

/// <summary>
/// The test driver's view of <see cref="MockHarnessProcess"/> (a running <c>node interop/mock/harness.mjs</c>):
/// it installs the pinned packages first, names the accounts of the ready line, and turns harness failures into
/// <see cref="MockServerException"/>. Disposing stops node and, if it lingers, kills its tree.
/// </summary>
public sealed class MockServer : IAsyncDisposable
{
    private readonly MockHarnessProcess harness;

    private MockServer(MockHarnessProcess harness)
    {
        this.harness = harness;
    }

    public JsonObject Ready => harness.Ready;

    public int Port => Ready["port"]!.GetValue<int>();

    public string Origin => Ready["urls"]!["chat"]!.GetValue<string>();

    public string CaCertificatePath => Ready["caCertPath"]!.GetValue<string>();

    public string TrustRoot => Ready["trustRoot"]!.GetValue<string>();

    public JsonObject Phone => Ready["phone"]!.AsObject();

    public JsonObject Contact(string name) =>
        Ready["contacts"]!.AsArray().Select(c => c!.AsObject()).First(c => c["name"]!.GetValue<string>() == name);

    /// <summary>The process id of node, to check that nothing outlives a test.</summary>
    public int ProcessId => harness.ProcessId;

    public bool HasExited => harness.HasExited;

    /// <summary>Events the harness printed besides responses (e.g. uncaught exceptions it survived).</summary>
    public ConcurrentQueue<JsonNode> Events => harness.Events;

    public string StandardErrorText => harness.StandardErrorText;

    /// <summary>Installs the pinned packages if needed and starts the harness; returns once it printed its ready line.</summary>
    public static Task<MockServer> StartAsync(string contacts = "Alice,Bob", CancellationToken cancellationToken = default) =>
        StartAsync(new MockHarnessOptions(contacts), cancellationToken);

    /// <summary>
    /// Starts the mock with the production-style front before it (<c>interop/mock/front/</c>): see
    /// <see cref="FrontUrl"/>, <see cref="WriteFrontProfile"/> and the <c>front*</c> commands.
    /// </summary>
    public static Task<MockServer> StartWithFrontAsync(string contacts = "Alice,Bob", CancellationToken cancellationToken = default) =>
        StartAsync(new MockHarnessOptions(contacts, Front: true), cancellationToken);

    private static async Task<MockServer> StartAsync(MockHarnessOptions options, CancellationToken cancellationToken)
    {
        await InteropPaths.EnsureNodeModulesAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var harness = await MockHarnessProcess.StartAsync(InteropPaths.InteropDirectory, options, cancellationToken)
                .ConfigureAwait(false);
            return new MockServer(harness);
        }
        catch (MockHarnessException e)
        {
            throw new MockServerException(e);
        }
    }

    /// <summary>Runs a harness command; an error in node throws <see cref="MockServerException"/>.</summary>
    public async Task<JsonNode?> CommandAsync(string command, JsonObject? args = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await harness.CommandAsync(command, args, cancellationToken).ConfigureAwait(false);
        }
        catch (MockHarnessException e)
        {
            throw new MockServerException(e);
        }
    }

    /// <summary>
    /// A server profile in SignalSharp's JSON format (see SignalSharp.Service ServerProfile) for this mock, written to
    /// <paramref name="path"/>. The CA path is relative to the file, as a hand-written profile would have it.
    /// </summary>
    public void WriteServerProfile(string path) => harness.WriteServerProfile(path);

    /// <summary>The base URL of a front listener: <c>legacy</c>, <c>h2legacy</c> or <c>omnibus</c>.</summary>
    public Uri FrontUrl(string listener) =>
        new((Ready["front"] ?? throw new MockServerException("the harness runs without the front: use StartWithFrontAsync"))[listener]!.GetValue<string>());

    /// <summary>
    /// A production-style profile: chat endpoints on front listeners in the given order (<c>http</c> "2", "1.1" or
    /// "negotiate"), storage and CDNs through the <c>h2legacy</c> listener, no mock quirks.
    /// </summary>
    public void WriteFrontProfile(string path, params (string Listener, string Http)[] chatEndpoints)
    {
        harness.WriteServerProfile(path, "front");
        var profile = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var http = FrontUrl("h2legacy").ToString().TrimEnd('/');
        profile.Remove("mockQuirks");
        profile.Remove("grpcMethods"); // production's gRPC allow list is empty: the upload form and multi-recipient go over REST
        profile["chatUrl"] = FrontUrl(chatEndpoints[0].Listener).ToString();
        profile["chatEndpoints"] = new JsonArray([.. chatEndpoints.Select(e => (JsonNode)new JsonObject
        {
            ["url"] = FrontUrl(e.Listener).ToString(),
            ["http"] = e.Http,
        })]);
        profile["storageUrl"] = http + "/storageService";
        profile["cdnUrls"] = new JsonObject { ["0"] = http, ["2"] = http + "/cdn2", ["3"] = http + "/cdn3" };
        File.WriteAllText(path, profile.ToJsonString());
    }

    /// <summary>Sets front switches (see interop/mock/front/switches.mjs); null values reset one switch.</summary>
    public Task SetFrontAsync(JsonObject switches, CancellationToken cancellationToken = default) =>
        CommandAsync("frontSet", new JsonObject { ["switches"] = switches }, cancellationToken);

    public async Task<JsonObject> FrontStatsAsync(CancellationToken cancellationToken = default) =>
        (await CommandAsync("frontStats", null, cancellationToken).ConfigureAwait(false))!.AsObject();

    public ValueTask DisposeAsync() => harness.DisposeAsync();
}

/// <summary>The harness answered a command with an error, or went away.</summary>
public sealed class MockServerException : Exception
{
    public MockServerException(string message)
        : base("mock harness: " + message)
    {
    }

    internal MockServerException(MockHarnessException inner)
        : base(inner.Message, inner)
    {
    }
}

/// <summary>xunit fixture: one mock server per test class (or collection), started on first use.</summary>
public sealed class MockServerFixture : IAsyncDisposable, IDisposable
{
    private readonly Lazy<Task<MockServer>> server = new(() => MockServer.StartAsync());

    public Task<MockServer> GetAsync() => server.Value;

    public async ValueTask DisposeAsync()
    {
        if (server.IsValueCreated)
        {
            await (await server.Value.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}

/// <summary>xunit fixture: one mock server with the production-style front per test class (or collection).</summary>
public sealed class FrontServerFixture : IAsyncDisposable, IDisposable
{
    private readonly Lazy<Task<MockServer>> server = new(() => MockServer.StartWithFrontAsync());

    /// <summary>The server, with the front's switches back at production defaults and its stats cleared.</summary>
    public async Task<MockServer> GetAsync()
    {
        var mock = await server.Value.ConfigureAwait(false);
        await mock.CommandAsync("frontReset").ConfigureAwait(false);
        return mock;
    }

    public async ValueTask DisposeAsync()
    {
        if (server.IsValueCreated)
        {
            await (await server.Value.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
