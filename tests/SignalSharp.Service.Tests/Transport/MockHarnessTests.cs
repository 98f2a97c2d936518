using System.Diagnostics;
using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;

namespace SignalSharp.Service.Tests.Transport;

/// <summary>The harness itself: its ready line, its commands, and that it leaves no process behind.</summary>
public sealed class MockHarnessTests
{
    [Fact]
    public async Task Harness_reports_accounts_answers_commands_and_exits_when_disposed()
    {
        var mock = await MockServer.StartAsync(contacts: "Alice,Bob,Carol");
        var pid = mock.ProcessId;
        try
        {
            Assert.InRange(mock.Port, 1, 65535);
            Assert.True(File.Exists(mock.CaCertificatePath));
            Assert.Equal(33, Convert.FromBase64String(mock.TrustRoot).Length);
            Assert.StartsWith("+", mock.Phone["number"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.True(Guid.TryParse(mock.Contact("carol")["aci"]!.GetValue<string>(), out _));
            Assert.Equal(3, mock.Ready["contacts"]!.AsArray().Count);

            Assert.Equal("pong", (await mock.CommandAsync("ping"))!.GetValue<string>());
            var error = await Assert.ThrowsAsync<MockServerException>(() => mock.CommandAsync("noSuchCommand"));
            Assert.Contains("unknown command", error.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<MockServerException>(() => mock.CommandAsync("sendText", new JsonObject { ["text"] = "hi" }));
        }
        finally
        {
            await mock.DisposeAsync();
        }

        Assert.True(mock.HasExited);
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(pid));
    }
}
