using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;

namespace SignalSharp.Crypto.Tests.Interop;

/// <summary>The oracle every interop test relies on is the pinned libsignal, and it answers in order.</summary>
public sealed class OracleTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    [Fact]
    public async Task Oracle_runs_the_pinned_libsignal_version()
    {
        var oracle = await fixture.GetAsync();
        var version = await oracle.CallAsync("oracle.version");
        Assert.Equal("0.100.0", version?.GetValue<string>());
    }

    [Fact]
    public async Task Oracle_reports_unknown_ops_as_errors()
    {
        var oracle = await fixture.GetAsync();
        var error = await Assert.ThrowsAsync<OracleException>(() => oracle.CallAsync("no.such.op"));
        Assert.Contains("unknown oracle op", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oracle_answers_concurrent_calls_each_with_its_own_result()
    {
        var oracle = await fixture.GetAsync();
        var calls = Enumerable.Range(0, 50).Select(i => oracle.CallAsync("oracle.echo", new JsonObject { ["n"] = i })).ToArray();
        var results = await Task.WhenAll(calls);
        Assert.Equal(Enumerable.Range(0, 50), results.Select(r => r!["n"]!.GetValue<int>()));
    }
}
