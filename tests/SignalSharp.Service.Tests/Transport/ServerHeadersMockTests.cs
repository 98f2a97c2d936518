using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Tests.Support;
using SignalSharp.Service.Transport;

namespace SignalSharp.Service.Tests.Transport;

/// <summary>What the client says about itself and hears about its account on the socket's upgrade.</summary>
[Collection(MockServerCollection.Name)]
public sealed class ServerHeadersMockTests(MockServerFixture fixture)
{
    [Fact]
    public async Task An_X_Signal_Alert_on_the_upgrade_is_logged()
    {
        var mock = await fixture.GetAsync();
        var log = new TestLogger();
        await mock.CommandAsync("setUpgradeHeaders", new JsonObject { ["headers"] = new JsonObject { ["X-Signal-Alert"] = "idle-primary-device" } });
        try
        {
            await using var chat = new ChatConnection(MockProfile.For(mock), logger: log);
            await chat.StartAsync();
        }
        finally
        {
            await mock.CommandAsync("setUpgradeHeaders", new JsonObject { ["headers"] = new JsonObject() });
        }

        Assert.Contains(log.Lines, line => line.Contains("alert \"idle-primary-device\"", StringComparison.Ordinal));
    }

    [Fact]
    public void The_user_agent_names_SignalSharp_and_its_version_and_no_official_client()
    {
        Assert.Matches(@"^SignalSharp/\d+\.\d+", ChatConnectionOptions.DefaultUserAgent);
        Assert.DoesNotContain("Signal-Android", ChatConnectionOptions.DefaultUserAgent, StringComparison.Ordinal);
        Assert.Equal(ChatConnectionOptions.DefaultUserAgent, new ChatConnectionOptions().UserAgent);
    }
}
