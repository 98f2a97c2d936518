using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;

namespace SignalSharp.Spqr.Tests.Interop;

/// <summary>One encrypt in node: the SPQR message sent, the sender's pq_ratchet_state around it, and the raw material
/// (SignalMessage bytes, sender SessionRecord before) to recompute the MAC with a C#-derived SPQR key.</summary>
internal sealed record SentStep(char From, byte[] Pq, byte[] Before, byte[] After, byte[] SignalMessage, byte[] Record);

/// <summary>One decrypt in node: which message, the receiver's pq_ratchet_state around it, and node's error if any.</summary>
internal sealed record RecvStep(int Message, byte[] Before, byte[] After, string? Error);

/// <summary>A libsignal 0.100 conversation between two in-memory sessions, as recorded by the oracle op spqr.trace.</summary>
internal sealed record SpqrTrace(byte[] AliceInitial, IReadOnlyList<SentStep> Sent, IReadOnlyList<RecvStep> Received)
{
    public static async Task<SpqrTrace> RunAsync(NodeOracle oracle, JsonNode plan)
    {
        var result = await oracle.CallAsync("spqr.trace", new JsonObject { ["plan"] = plan });
        static byte[] B(JsonNode? n) => Convert.FromBase64String(n!.GetValue<string>());
        var sent = result!["sent"]!.AsArray().Select(s => new SentStep(
            s!["from"]!.GetValue<string>()[0], B(s["pq"]), B(s["before"]), B(s["after"]), B(s["signalMessage"]), B(s["record"]))).ToList();
        var received = result["received"]!.AsArray().Select(r => new RecvStep(
            r!["message"]!.GetValue<int>(), B(r["before"]), B(r["after"]), r["error"]?.GetValue<string>())).ToList();
        return new SpqrTrace(B(result["initial"]!["alice"]), sent, received);
    }

    /// <summary>A plan of explicit steps: sends, and deliveries by message number (loss = never delivered).</summary>
    public static JsonArray Steps(IEnumerable<(char? Send, int? Deliver)> steps)
    {
        var array = new JsonArray();
        foreach (var (send, deliver) in steps)
        {
            array.Add(send is { } c ? new JsonObject { ["send"] = c.ToString() } : new JsonObject { ["deliver"] = deliver });
        }

        return array;
    }
}
