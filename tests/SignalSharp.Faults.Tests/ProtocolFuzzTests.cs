using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CsCheck;
using SignalSharp.Daemon.Tests.Support;
using SignalSharp.Faults.Tests.Support;
using Xunit.Abstractions;

namespace SignalSharp.Faults.Tests;

/// <summary>
/// Fuzzing of the TCP protocol against a real daemon (an account double behind it): hostile lines, mutated and
/// random bytes, and sizes around the limit. Each complete line gets exactly one answer, every answer is one JSON
/// object with a statusCode, the connection stays open unless the size limit was passed, and memory stays bounded.
/// </summary>
public sealed class ProtocolFuzzTests(ITestOutputHelper output)
{
    private const string Probe = """{"command":"receive_messages","reqId":"probe","timeout":0}""";

    [Fact]
    public async Task Every_complete_line_is_answered_exactly_once_and_the_connection_stays_open()
    {
        var batches = FaultScale.Pick(400, 200_000);
        await using var daemon = TestDaemon.Start(maxCommandSize: 64 * 1024);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var lines = 0;
        await HostileJson.CompleteLine.Array[1, 5].SampleAsync(async batch =>
        {
            await using var client = await daemon.ConnectAsync();
            await client.SendAsync(batch.SelectMany(line => line.Append((byte)'\n')).Concat(Encoding.UTF8.GetBytes(Probe + "\n")).ToArray());
            for (var i = 0; i < batch.Length; i++)
            {
                var answer = await ReadOrExplainAsync(client, batch);
                Assert.True(answer.TryGetProperty("statusCode", out var status) && status.ValueKind == JsonValueKind.Number,
                    $"answer {i} has no statusCode: {answer}");
                Assert.False(IsProbe(answer), $"line {i} of {Convert.ToBase64String(batch[i])} got no answer");
            }

            Assert.True(IsProbe(await ReadOrExplainAsync(client, batch)), "more answers than lines");
            Interlocked.Add(ref lines, batch.Length);
        }, iter: batches, threads: 1, seed: FaultSeed);

        var grown = GC.GetTotalMemory(forceFullCollection: true) - before;
        output.WriteLine($"{lines} hostile lines answered once each; managed heap grew by {grown / 1024} KiB");
        Assert.True(grown < 32L << 20, $"the heap grew by {grown} bytes");
    }

    [Fact]
    public async Task Mutated_and_random_bytes_never_close_the_connection_and_a_probe_after_them_is_answered()
    {
        var inputs = FaultScale.Pick(600, 800_000);
        await using var daemon = TestDaemon.Start(maxCommandSize: 64 * 1024);
        var gen = Gen.Frequency((3, Mutated), (1, Gen.Byte.Array[0, 400]));
        await gen.SampleAsync(async input =>
        {
            await using var client = await daemon.ConnectAsync();

            // Whatever state the input left the framer in, a line that starts with a control byte is a fault inside
            // any object or string (answered or skipped), so the probe after it starts afresh.
            await client.SendAsync(input.Concat("\n\u0001\n\u0001\n"u8.ToArray()).Concat(Encoding.UTF8.GetBytes(Probe + "\n")).ToArray());
            var answers = 0;
            while (true)
            {
                var answer = await client.ReadResponseAsync();
                Assert.True(answer.TryGetProperty("statusCode", out var status) && status.ValueKind == JsonValueKind.Number, answer.ToString());
                if (IsProbe(answer))
                {
                    break;
                }

                answers++;
                Assert.True(answers <= input.Length + 2, $"{answers} answers to {input.Length} bytes: {Convert.ToBase64String(input)}");
            }

            client.Socket.Shutdown(SocketShutdown.Send);
            Assert.Null(await client.ReadLineAsync());
        }, iter: inputs, threads: 1, seed: FaultSeed);
        output.WriteLine($"{inputs} mutated or random inputs");
    }

    [Fact]
    public async Task Sizes_around_the_limit_close_the_connection_only_when_the_limit_is_passed()
    {
        const int limit = 4096;
        await using var daemon = TestDaemon.Start(maxCommandSize: limit);
        await Gen.Int[limit - 200, limit + 200].SampleAsync(async size =>
        {
            await using var client = await daemon.ConnectAsync();
            var head = """{"command":"send_message","recipient":"+4366412345678","dataMessage":{"message":" """;
            var command = head + new string('a', Math.Max(0, size - head.Length - 3)) + "\"}}";
            await client.SendAsync(command + "\n" + Probe + "\n");
            var answer = await client.ReadResponseAsync();
            if (Encoding.UTF8.GetByteCount(command) > limit)
            {
                Assert.Equal(-1, answer.GetProperty("statusCode").GetInt32());
                Assert.Null(await client.ReadLineAsync());
            }
            else
            {
                Assert.Equal(0, answer.GetProperty("statusCode").GetInt32());
                Assert.True(IsProbe(await client.ReadResponseAsync()));
            }
        }, iter: FaultScale.Pick(100, 10_000), threads: 1, seed: FaultSeed);
    }

    /// <summary>CsCheck prints its own seed on a failure; <c>SIGNALSHARP_FAULTS_CSCHECK_SEED</c> replays it.</summary>
    private static string? FaultSeed => Environment.GetEnvironmentVariable(FaultScale.Variable + "_CSCHECK_SEED");

    private static async Task<JsonElement> ReadOrExplainAsync(TestClient client, byte[][] batch)
    {
        try
        {
            return await client.ReadResponseAsync();
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"{e.Message} after: {string.Join(" | ", batch.Select(Convert.ToBase64String))}", e);
        }
    }

    private static bool IsProbe(JsonElement answer) =>
        answer.TryGetProperty("reqId", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == "probe";

    private static readonly byte[] Interesting = "{}[]\"',:\\\n\r\t 0-eE.a_$\u0000\u00ff"u8.ToArray();

    /// <summary>A hostile line with bytes deleted, inserted (structural ones too) and overwritten.</summary>
    private static Gen<byte[]> Mutated =>
        Gen.Select(HostileJson.CompleteLine, Gen.Select(Gen.Int[0, 2], Gen.Int[0, 4096], Gen.Byte, Gen.Int[0, Interesting.Length - 1]).Array[1, 8])
            .Select((line, mutations) =>
            {
                var bytes = line.ToList();
                foreach (var (kind, position, random, pick) in mutations)
                {
                    var at = position % (bytes.Count + 1);
                    switch (kind)
                    {
                        case 0 when bytes.Count > 0:
                            bytes.RemoveAt(Math.Min(at, bytes.Count - 1));
                            break;
                        case 1:
                            bytes.Insert(at, Interesting[pick]);
                            break;
                        default:
                            bytes.Insert(at, random);
                            break;
                    }
                }

                return bytes.ToArray();
            });
}
