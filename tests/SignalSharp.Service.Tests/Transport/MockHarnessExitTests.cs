using System.Diagnostics;
using System.Text.Json;
using SignalSharp.Interop.Testing;
using SignalSharp.MockHarness;

namespace SignalSharp.Service.Tests.Transport;

/// <summary>The shared harness driver when node goes away under it, and the server profile it writes.</summary>
public sealed class MockHarnessExitTests
{
    [Fact]
    public async Task A_killed_harness_fails_commands_instead_of_hanging_and_says_it_exited()
    {
        await InteropPaths.EnsureNodeModulesAsync();
        await using var harness = await MockHarnessProcess.StartAsync(InteropPaths.InteropDirectory, new MockHarnessOptions("Alice"), CancellationToken.None);
        Assert.Equal("pong", (await harness.CommandAsync("ping", null, CancellationToken.None))!.GetValue<string>());

        using (var node = Process.GetProcessById(harness.ProcessId))
        {
            node.Kill(entireProcessTree: true);
            await node.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var error = await Assert.ThrowsAsync<MockHarnessExitedException>(() => harness.CommandAsync("ping", null, timeout.Token));
        Assert.StartsWith("mock harness: harness exited", error.Message, StringComparison.Ordinal);
        Assert.True(harness.HasExited);
    }

    [Fact]
    public async Task The_server_profile_names_the_mock_urls_and_a_ca_path_relative_to_the_file()
    {
        await using var mock = await MockServer.StartAsync(contacts: "Alice");
        var folder = Directory.CreateTempSubdirectory("signalsharp-profile-").FullName;
        try
        {
            var path = Path.Combine(folder, "mock.json");
            mock.WriteServerProfile(path);
            using var profile = JsonDocument.Parse(await File.ReadAllTextAsync(path));
            var root = profile.RootElement;
            Assert.Equal(mock.Origin, root.GetProperty("chatUrl").GetString());
            var caPath = root.GetProperty("caCertificatePath").GetString()!;
            Assert.False(Path.IsPathRooted(caPath));
            Assert.Equal(Path.GetFullPath(mock.CaCertificatePath), Path.GetFullPath(Path.Combine(folder, caPath)));
            Assert.Equal(mock.TrustRoot, root.GetProperty("trustRoots")[0].GetString());
            Assert.Equal(mock.Ready["serverPublicParams"]!.GetValue<string>(), root.GetProperty("serverPublicParams").GetString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
