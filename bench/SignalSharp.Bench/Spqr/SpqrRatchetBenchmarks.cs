using System.Security.Cryptography;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using SignalSharp.Interop.Testing;
using SignalSharp.Spqr;

namespace SignalSharp.Bench.Spqr;

/// <summary>
/// SPQR cost per message and per braid epoch, next to libsignal's whole-message cost measured in the same run.
/// libsignal exposes no SPQR-only call, so its baseline is encrypt+decrypt of a full SignalMessage through node
/// (Double Ratchet + SPQR + the JS store round trips); the ratio is therefore an upper bound on libsignal's SPQR cost.
/// `dotnet run -c Release --project bench/SignalSharp.Bench -- --filter '*SpqrRatchet*'`
/// </summary>
[MemoryDiagnoser]
public class SpqrRatchetBenchmarks
{
    private const int MessagesPerInvocation = 100;

    private byte[] authKey = [];
    private byte[] alice = [];
    private byte[] bob = [];
    private NodeOracle? oracle;

    [GlobalSetup]
    public void Setup()
    {
        authKey = RandomNumberGenerator.GetBytes(32);
        alice = SpqrRatchet.InitialState(authKey, SpqrDirection.A2B);
        bob = SpqrRatchet.InitialState(authKey, SpqrDirection.B2A);
        oracle = NodeOracle.StartAsync().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => oracle?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>libsignal via node: 100 lockstep messages (encrypt + decrypt each) on an established session.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = MessagesPerInvocation)]
    public double Libsignal_node_whole_message()
    {
        var args = new JsonObject { ["messages"] = MessagesPerInvocation };
        return oracle!.CallAsync("spqr.bench.pingpong", args).GetAwaiter().GetResult()!.GetValue<double>();
    }

    /// <summary>C# SPQR only: Send on one side and Recv on the other, alternating, across epochs (amortised).</summary>
    [Benchmark(OperationsPerInvoke = MessagesPerInvocation)]
    public int CSharp_spqr_send_plus_recv()
    {
        var total = 0;
        for (var i = 0; i < MessagesPerInvocation; i++)
        {
            var fromAlice = i % 2 == 0;
            var sent = SpqrRatchet.Send(fromAlice ? alice : bob);
            var received = SpqrRatchet.Recv(fromAlice ? bob : alice, sent.Message);
            if (fromAlice)
            {
                alice = sent.State;
                bob = received.State;
            }
            else
            {
                bob = sent.State;
                alice = received.State;
            }

            total += sent.Message.Length;
        }

        return total;
    }

    /// <summary>One full braid epoch from fresh states in lockstep: keygen, 74 chunks, encapsulation, decapsulation.</summary>
    [Benchmark(OperationsPerInvoke = 1)]
    public int CSharp_spqr_full_epoch()
    {
        var a = SpqrRatchet.InitialState(authKey, SpqrDirection.A2B);
        var b = SpqrRatchet.InitialState(authKey, SpqrDirection.B2A);
        var messages = 0;
        while (true)
        {
            var sa = SpqrRatchet.Send(a);
            a = sa.State;
            b = SpqrRatchet.Recv(b, sa.Message).State;
            var sb = SpqrRatchet.Send(b);
            b = sb.State;
            a = SpqrRatchet.Recv(a, sb.Message).State;
            messages += 2;
            if (sb.Message[1] == 2)
            {
                return messages;
            }
        }
    }
}
