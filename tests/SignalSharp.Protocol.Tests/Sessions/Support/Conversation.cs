using SignalSharp.Protocol.Messages;

namespace SignalSharp.Protocol.Tests.Sessions.Support;

/// <summary>
/// Drives a long C# ⇄ node conversation on an established session: random directions and burst sizes, delivery
/// reordered within a window, some messages dropped, some delivered twice. Every delivered original must decrypt
/// to its plaintext on the other side; every second copy must be rejected as a duplicate.
/// </summary>
internal sealed class Conversation(Party csharp, NodeSessions node, string nodeParty, ProtocolAddress nodeAddress, int seed)
{
    private readonly Random random = new(seed);
    private int serial;

    public int Delivered { get; private set; }

    public int Dropped { get; private set; }

    public int DuplicatesRejected { get; private set; }

    /// <summary>Sends at least <paramref name="total"/> messages; the first two bursts are 50 each way, starting with the initiator.</summary>
    public async Task RunAsync(int total, bool csharpStarts, int window = 6, double dropRate = 0.04, double duplicateRate = 0.04)
    {
        var sent = 0;
        var round = 0;
        while (sent < total)
        {
            var fromCSharp = round switch { 0 => csharpStarts, 1 => !csharpStarts, _ => random.Next(2) == 0 };
            var burst = round < 2 ? 50 : random.Next(1, 51);
            var plaintexts = Enumerable.Range(0, burst).Select(_ => NextPlaintext()).ToList();
            var messages = fromCSharp
                ? await EncryptInCSharpAsync(plaintexts)
                : await node.EncryptAsync(nodeParty, csharp.Address, plaintexts);
            var plan = Plan(burst, window, dropRate, duplicateRate);
            if (fromCSharp)
            {
                await DeliverToNodeAsync(messages, plaintexts, plan);
            }
            else
            {
                await DeliverToCSharpAsync(messages, plaintexts, plan);
            }

            sent += burst;
            round++;
        }
    }

    private async Task<List<CiphertextMessage>> EncryptInCSharpAsync(List<byte[]> plaintexts)
    {
        var result = new List<CiphertextMessage>(plaintexts.Count);
        foreach (var plaintext in plaintexts)
        {
            result.Add(await csharp.Cipher.EncryptAsync(nodeAddress, plaintext));
        }

        return result;
    }

    private async Task DeliverToNodeAsync(List<CiphertextMessage> messages, List<byte[]> plaintexts, List<(int Index, bool Duplicate)> plan)
    {
        var results = await node.DecryptAsync(nodeParty, csharp.Address, plan.Select(p => messages[p.Index]));
        for (var i = 0; i < plan.Count; i++)
        {
            var (index, duplicate) = plan[i];
            if (duplicate)
            {
                Assert.False(results[i].Ok, $"node accepted a duplicate of message {index}");
                Assert.Equal(1, results[i].Code); // libsignal's ErrorCode.DuplicatedMessage
                DuplicatesRejected++;
            }
            else
            {
                Assert.True(results[i].Ok, $"node failed on message {index}: {results[i].Error}");
                Assert.Equal(plaintexts[index], results[i].Plaintext);
                Delivered++;
            }
        }
    }

    private async Task DeliverToCSharpAsync(List<CiphertextMessage> messages, List<byte[]> plaintexts, List<(int Index, bool Duplicate)> plan)
    {
        foreach (var (index, duplicate) in plan)
        {
            var message = Party.Reparse(messages[index]);
            if (duplicate)
            {
                await Assert.ThrowsAsync<DuplicateMessageException>(() => csharp.Cipher.DecryptAsync(nodeAddress, message));
                DuplicatesRejected++;
            }
            else
            {
                Assert.Equal(plaintexts[index], await csharp.Cipher.DecryptAsync(nodeAddress, message));
                Delivered++;
            }
        }
    }

    /// <summary>Delivery order: shuffled within a sliding window, with drops and later second copies.</summary>
    private List<(int Index, bool Duplicate)> Plan(int count, int window, double dropRate, double duplicateRate)
    {
        var order = Enumerable.Range(0, count).ToArray();
        for (var i = 0; i < count; i++)
        {
            var j = Math.Min(count - 1, i + random.Next(window));
            (order[i], order[j]) = (order[j], order[i]);
        }

        var plan = new List<(int Index, bool Duplicate)>();
        foreach (var index in order)
        {
            if (random.NextDouble() < dropRate)
            {
                Dropped++;
                continue;
            }

            plan.Add((index, false));
        }

        foreach (var index in plan.Select(p => p.Index).ToList())
        {
            if (random.NextDouble() < duplicateRate)
            {
                var original = plan.IndexOf((index, false));
                plan.Insert(random.Next(original + 1, plan.Count + 1), (index, true));
            }
        }

        return plan;
    }

    private byte[] NextPlaintext()
    {
        var text = $"message {serial++} ";
        var padding = new byte[random.Next(0, 200)];
        random.NextBytes(padding);
        return [.. System.Text.Encoding.UTF8.GetBytes(text), .. padding];
    }
}
