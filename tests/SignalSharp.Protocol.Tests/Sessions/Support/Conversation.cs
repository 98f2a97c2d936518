using SignalSharp.Interop.Testing;
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

    /// <summary>
    /// Sends at least <paramref name="total"/> messages; the first two bursts are 50 each way, starting with the
    /// initiator. A few messages of each burst are held back and delivered only with the next burst in the same
    /// direction, after the other side has answered (so they arrive on an older chain and SPQR epoch).
    /// </summary>
    public async Task RunAsync(int total, bool csharpStarts, int window = 6, double dropRate = 0.04, double duplicateRate = 0.04, double holdRate = 0.03)
    {
        var sent = 0;
        var round = 0;
        var held = new Dictionary<bool, List<(CiphertextMessage Message, byte[] Plaintext)>> { [true] = [], [false] = [] };
        while (sent < total)
        {
            var fromCSharp = round switch { 0 => csharpStarts, 1 => !csharpStarts, _ => random.Next(2) == 0 };
            var burst = round < 2 ? 50 : random.Next(1, 51);
            var plaintexts = Enumerable.Range(0, burst).Select(_ => NextPlaintext()).ToList();
            var fresh = fromCSharp
                ? await EncryptInCSharpAsync(plaintexts)
                : await node.EncryptAsync(nodeParty, csharp.Address, plaintexts);

            // Late messages from the previous burst this way go first, then this burst.
            var late = held[fromCSharp];
            var messages = late.Select(h => h.Message).Concat(fresh).ToList();
            plaintexts = [.. late.Select(h => h.Plaintext), .. plaintexts];
            Late += late.Count;
            var (plan, hold) = Plan(messages.Count, late.Count, window, dropRate, duplicateRate, holdRate);
            held[fromCSharp] = hold.Select(i => (messages[i], plaintexts[i])).ToList();
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

    /// <summary>Messages delivered one burst later than sent.</summary>
    public int Late { get; private set; }

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

    /// <summary>
    /// Delivery order: shuffled within a sliding window, with drops, holds (returned) and later second copies.
    /// The first <paramref name="mustDeliver"/> indices (already late) are neither dropped nor held again.
    /// </summary>
    private (List<(int Index, bool Duplicate)> Plan, List<int> Hold) Plan(int count, int mustDeliver, int window, double dropRate, double duplicateRate, double holdRate)
    {
        var order = Enumerable.Range(0, count).ToArray();
        for (var i = 0; i < count; i++)
        {
            var j = Math.Min(count - 1, i + random.Next(window));
            (order[i], order[j]) = (order[j], order[i]);
        }

        var plan = new List<(int Index, bool Duplicate)>();
        var hold = new List<int>();
        foreach (var index in order)
        {
            if (index >= mustDeliver && random.NextDouble() < dropRate)
            {
                Dropped++;
                continue;
            }

            if (index >= mustDeliver && random.NextDouble() < holdRate)
            {
                hold.Add(index);
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

        return (plan, hold);
    }

    private byte[] NextPlaintext()
    {
        var text = $"message {serial++} ";
        var padding = new byte[random.Next(0, 200)];
        random.NextBytes(padding);
        return [.. System.Text.Encoding.UTF8.GetBytes(text), .. padding];
    }
}
