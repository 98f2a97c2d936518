using System.Diagnostics;
using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;

namespace SignalSharp.Cli.Tests;

/// <summary>
/// Issue 12 item 6 through the production-style front: production closes a provisioning socket after 90 s (60 s
/// idle), so `link` opens a new one and prints a new URI and QR code each time, until the phone scans one. The front
/// closes each provisioning socket after 3 s here; the phone scans the second code.
/// </summary>
public sealed class LinkRenewalFrontTests
{
    [Fact]
    public async Task When_the_server_closes_the_provisioning_socket_link_prints_a_new_code_and_the_new_one_links()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartWithFrontAsync("Alice", ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-relink-").FullName;
        try
        {
            var profile = Path.Combine(config, "front.json");
            mock.WriteFrontProfile(profile, ("omnibus", "2"), ("legacy", "1.1"));
            await mock.SetFrontAsync(new JsonObject { ["provisioningTimeouts"] = new JsonObject { ["idleMs"] = 60_000, ["maxMs"] = 3_000 } }, ct);

            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var link = CliApp.RunAsync(["--config", config, "link", "-n", "renewal test", "--server", profile], stdout, stderr);
            var uris = await UrisAsync(stdout, stderr, link, count: 2, ct);
            Assert.NotEqual(uris[0], uris[1]);
            Assert.Contains("here is a new one", stderr.ToString());
            // A QR code for each URI.
            Assert.Equal(2, stderr.ToString().Split("Scan this with Signal").Length - 1);

            var phone = mock.CommandAsync("link", new JsonObject { ["provisionUrl"] = uris[1] }, ct);
            Assert.True(0 == await link.WaitAsync(ct), stderr.ToString());
            await phone.WaitAsync(ct);
            Assert.EndsWith(mock.Phone["number"]!.GetValue<string>() + Environment.NewLine, stdout.ToString());
            var stats = await mock.FrontStatsAsync(ct);
            Assert.True(stats["provisioningTimeouts"]!.GetValue<int>() >= 1);
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    private static async Task<List<string>> UrisAsync(StringWriter stdout, StringWriter stderr, Task<int> link, int count, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var uris = stdout.ToString().Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("sgnl://", StringComparison.Ordinal)).ToList();
            // link writes each URI to stdout before its QR code to stderr: wait for both, or the count of codes races.
            if (uris.Count >= count && stderr.ToString().Split("Scan this with Signal").Length - 1 >= count)
            {
                return uris;
            }

            Assert.False(link.IsCompleted, "link exited: " + stderr);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"{uris.Count} link URIs: " + stderr);
            await Task.Delay(20, ct);
        }
    }
}
