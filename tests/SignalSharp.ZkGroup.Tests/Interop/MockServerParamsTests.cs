using System.Text.Json;
using SignalSharp.Interop.Testing;

namespace SignalSharp.ZkGroup.Tests.Interop;

/// <summary>The real server params the pinned mock server signs with parse and round-trip.</summary>
public sealed class MockServerParamsTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    [Fact]
    public async Task Mock_server_public_params_parse_and_round_trip()
    {
        await fixture.GetAsync(); // Makes sure node_modules (and so the mock server package) is installed.
        var path = Path.Combine(InteropPaths.InteropDirectory, "node_modules", "@signalapp", "mock-server", "certs", "zk-params.json");
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        var bytes = Convert.FromBase64String(json.RootElement.GetProperty("publicParams").GetString()!);
        var parsed = ServerPublicParams.Deserialize(bytes);
        Assert.Equal(ServerPublicParams.Length, bytes.Length);
        Assert.Equal(bytes, parsed.Serialize());
        Assert.Equal(bytes[641..], parsed.EndorsementPublicKeyBytes[1..]);

        var corrupt = (byte[])bytes.Clone();
        corrupt[417 + 31] |= 0x80; // An encoding ≥ 2^255 is never a canonical ristretto255 point.
        Assert.Throws<ZkGroupDeserializationException>(() => ServerPublicParams.Deserialize(corrupt));
        Assert.Throws<ZkGroupDeserializationException>(() => ServerPublicParams.Deserialize(bytes[..^1]));
    }
}
