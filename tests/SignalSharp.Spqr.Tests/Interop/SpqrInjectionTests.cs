using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;
using SignalSharp.Spqr.State;
using SignalSharp.Spqr.Wire;
using Xunit.Abstractions;

namespace SignalSharp.Spqr.Tests.Interop;

/// <summary>
/// The two sends that draw randomness (key generation in KeysUnsampled, encapsulation in HeaderReceived) cannot be
/// compared byte for byte with node. Instead, C# performs them and its resulting state is written into the real
/// libsignal session, which then carries on: libsignal must accept C#'s header and encapsulation key, decapsulate
/// with C#'s decapsulation key, finish C#'s encapsulation state, and every message must still decrypt.
/// </summary>
public sealed class SpqrInjectionTests(NodeOracleFixture fixture, ITestOutputHelper output) : IClassFixture<NodeOracleFixture>
{
    [Fact]
    public async Task Libsignal_continues_from_states_csharp_randomised()
    {
        var oracle = await fixture.GetAsync();
        var conv = await oracle.CallAsync("spqr.conv.new");
        var id = conv!["id"]!.GetValue<int>();
        int keygens = 0, encapsulations = 0, delivered = 0;
        ulong epoch = 0;
        try
        {
            for (var i = 0; epoch < 5 && i < 800; i++)
            {
                var from = i % 2 == 0 ? "A" : "B";
                var state = await oracle.CallBytesAsync("spqr.conv.state", new JsonObject { ["id"] = id, ["party"] = from });
                var kind = StateCodec.Decode(state).V1!.Kind;
                if (kind is BraidKind.KeysUnsampled or BraidKind.HeaderReceived)
                {
                    var mine = SpqrRatchet.Send(state);
                    await oracle.CallAsync("spqr.conv.inject", new JsonObject { ["id"] = id, ["party"] = from, ["state"] = Convert.ToBase64String(mine.State) });
                    if (kind == BraidKind.KeysUnsampled)
                    {
                        keygens++;
                    }
                    else
                    {
                        encapsulations++;
                    }
                }

                var sent = await oracle.CallAsync("spqr.conv.send", new JsonObject { ["id"] = id, ["from"] = from });
                var pq = Convert.FromBase64String(sent!["pq"]!.GetValue<string>());
                epoch = Math.Max(epoch, SpqrMessage.Parse(pq).Epoch);
                var recv = await oracle.CallAsync("spqr.conv.deliver", new JsonObject { ["id"] = id, ["message"] = i });
                Assert.True(recv!["error"] is null, $"message {i} ({from}, {kind}) failed in libsignal: {recv["error"]}");

                // C# must also agree with libsignal on the receive that followed.
                var before = Convert.FromBase64String(recv["before"]!.GetValue<string>());
                if (before.Length > 0)
                {
                    var after = Convert.FromBase64String(recv["after"]!.GetValue<string>());
                    Assert.Equal(after, SpqrRatchet.Recv(before, pq).State);
                }

                delivered++;
            }
        }
        finally
        {
            await oracle.CallAsync("spqr.conv.end", new JsonObject { ["id"] = id });
        }

        output.WriteLine($"delivered {delivered}, C# keygens {keygens}, C# encapsulations {encapsulations}, epoch {epoch}");
        Assert.True(epoch >= 5, $"reached epoch {epoch}");
        Assert.True(keygens >= 4 && encapsulations >= 4, $"keygens {keygens}, encapsulations {encapsulations}");
    }
}
