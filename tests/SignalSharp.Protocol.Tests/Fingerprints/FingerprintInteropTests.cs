using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;
using SignalSharp.Protocol.Fingerprints;
using static SignalSharp.Protocol.Tests.Keys.Oracle;

namespace SignalSharp.Protocol.Tests.Fingerprints;

/// <summary>Safety numbers against node libsignal's Fingerprint for random keys and identifiers.</summary>
public sealed class FingerprintInteropTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    [Theory]
    [InlineData(2u, 5200, "aci")]
    [InlineData(1u, 5200, "e164")]
    [InlineData(2u, 2, "random")]
    [InlineData(0u, 1024, "random")]
    public async Task Displayable_and_scannable_equal_libsignal(uint version, int iterations, string idKind)
    {
        var oracle = await fixture.GetAsync();
        for (var i = 0; i < 3; i++)
        {
            var localKey = IdentityKeyPair.Generate().IdentityKey;
            var remoteKey = IdentityKeyPair.Generate().IdentityKey;
            var (localId, remoteId) = Ids(idKind);
            var mine = Fingerprint.Create(version, iterations, localId, localKey, remoteId, remoteKey);
            var theirs = await oracle.CallAsync("crypto.fingerprint", new JsonObject
            {
                ["iterations"] = iterations, ["version"] = version,
                ["localId"] = B64(localId), ["localKey"] = B64(localKey.Serialize()),
                ["remoteId"] = B64(remoteId), ["remoteKey"] = B64(remoteKey.Serialize()),
            });
            Assert.Equal(theirs!["displayable"]!.GetValue<string>(), mine.Displayable.Value);
            Assert.Equal(Bytes(theirs["scannable"]), mine.Scannable.Serialize());
        }
    }

    [Fact]
    public async Task Scannable_compare_agrees_both_ways()
    {
        var oracle = await fixture.GetAsync();
        var aliceKey = IdentityKeyPair.Generate().IdentityKey;
        var bobKey = IdentityKeyPair.Generate().IdentityKey;
        var alice = Guid.NewGuid();
        var bob = Guid.NewGuid();
        var mine = Fingerprint.ForAcis(alice, aliceKey, bob, bobKey);

        // Bob's phone (node) computes its own view; each side scans the other's QR code.
        var bobView = await oracle.CallAsync("crypto.fingerprint", new JsonObject
        {
            ["iterations"] = 5200, ["version"] = 2,
            ["localId"] = B64(bob.ToByteArray(true)), ["localKey"] = B64(bobKey.Serialize()),
            ["remoteId"] = B64(alice.ToByteArray(true)), ["remoteKey"] = B64(aliceKey.Serialize()),
        });
        var bobQr = Bytes(bobView!["scannable"]);
        Assert.Equal(mine.Displayable.Value, bobView["displayable"]!.GetValue<string>());
        Assert.True(mine.Scannable.Compare(bobQr));
        Assert.True(await Compare(oracle, bobQr, mine.Scannable.Serialize()));

        // A different key on one side: both reject.
        var impostor = Fingerprint.ForAcis(alice, IdentityKeyPair.Generate().IdentityKey, bob, bobKey);
        Assert.False(impostor.Scannable.Compare(bobQr));
        Assert.False(await Compare(oracle, bobQr, impostor.Scannable.Serialize()));

        // A different version: both treat it as a mismatch error.
        var v1 = Fingerprint.Create(1, 5200, alice.ToByteArray(true), aliceKey, bob.ToByteArray(true), bobKey);
        await Assert.ThrowsAsync<OracleException>(() => Compare(oracle, bobQr, v1.Scannable.Serialize()));
        Assert.Throws<FingerprintVersionMismatchException>(() => v1.Scannable.Compare(bobQr));
    }

    private static async Task<bool> Compare(NodeOracle oracle, byte[] local, byte[] remote) =>
        (await oracle.CallAsync("crypto.fingerprintCompare", new JsonObject { ["local"] = B64(local), ["remote"] = B64(remote) }))!.GetValue<bool>();

    private static (byte[] Local, byte[] Remote) Ids(string kind) => kind switch
    {
        "aci" => (Guid.NewGuid().ToByteArray(true), Guid.NewGuid().ToByteArray(true)),
        "e164" => (System.Text.Encoding.UTF8.GetBytes("+1415" + Random.Shared.Next(1000000, 9999999)),
                   System.Text.Encoding.UTF8.GetBytes("+1415" + Random.Shared.Next(1000000, 9999999))),
        _ => (System.Security.Cryptography.RandomNumberGenerator.GetBytes(Random.Shared.Next(0, 40)),
              System.Security.Cryptography.RandomNumberGenerator.GetBytes(Random.Shared.Next(0, 40))),
    };
}
