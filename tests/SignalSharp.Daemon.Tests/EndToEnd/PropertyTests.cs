using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CsCheck;
using SignalSharp.Daemon.Tests.Support;

namespace SignalSharp.Daemon.Tests.EndToEnd;

/// <summary>
/// Random and mutated input never kills the daemon and never goes unanswered: after the client ends its input,
/// every response is one well-formed JSON object with a statusCode, input with any non-blank byte gets at least one
/// response, the daemon closes the connection in order (no reset), and the daemon still serves a fresh connection.
/// </summary>
public sealed class PropertyTests
{
    private static readonly string[] Templates =
    [
        """{"command":"send_message","reqId":"1","recipient":"+4366412345678","dataMessage":{"message":"hi 😀","attachments":[{"base64Data":"aGVsbG8=","filename":"a.txt"}]}}""",
        """{"command":"send_reaction","reqId":2,"groupId":"AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=","reaction":{"emoji":"👍","author":"+4366412345678","remove":false,"timestamp":1732530000000}}""",
        """{command:'receive_messages',timeout:0,ignoreAttachments:true,}""",
        """{'command':'send_message','recipient':'0c9d2f6e-1111-4222-8333-944455556666','dataMessage':{'message':'it\'s'}}""",
    ];

    private static readonly byte[] Interesting = "{}[]\"',:\\\n\r\t 0-eE.a_$\u0000"u8.ToArray();

    private static Gen<byte[]> Mutated =>
        Gen.Select(Gen.Int[0, Templates.Length - 1], Gen.Int[1, 6].SelectMany(n => Gen.Select(Gen.Int[0, 3], Gen.Int[0, 1000], Gen.Byte, Gen.Int[0, Interesting.Length - 1]).Array[n]))
            .Select((template, mutations) =>
            {
                var bytes = Encoding.UTF8.GetBytes(Templates[template]).ToList();
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
                        case 2 when bytes.Count > 0:
                            bytes[Math.Min(at, bytes.Count - 1)] = random;
                            break;
                        default:
                            bytes.Insert(at, random);
                            break;
                    }
                }

                return bytes.ToArray();
            });

    private static Gen<byte[]> RandomBytes => Gen.Byte.Array[0, 300];

    private static Gen<byte[]> RandomTokens => Gen.Int[0, Interesting.Length - 1].Array[0, 80].Select(picks => picks.Select(p => Interesting[p]).ToArray());

    [Fact]
    public async Task Random_and_mutated_input_is_always_answered_and_never_kills_the_daemon()
    {
        await using var daemon = TestDaemon.Start(maxCommandSize: 64 * 1024);
        var gen = Gen.Frequency((3, Mutated), (1, RandomBytes), (1, RandomTokens)).Array[1, 3];
        await gen.SampleAsync(async inputs => await CheckAsync(daemon, inputs), iter: 300, threads: 1);

        await using var healthy = await daemon.ConnectAsync();
        JsonAssert.HasStatus(0, await healthy.RoundTripAsync("""{"command":"receive_messages","timeout":0}"""));
    }

    private static async Task CheckAsync(TestDaemon daemon, byte[][] inputs)
    {
        await using var client = await daemon.ConnectAsync();
        var all = inputs.SelectMany(i => i.Append((byte)'\n')).ToArray();
        await client.SendAsync(all);
        client.Socket.Shutdown(SocketShutdown.Send);

        var responses = 0;
        while (await client.ReadLineAsync(TimeSpan.FromSeconds(10)) is { } line)
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            Assert.Equal(JsonValueKind.Object, root.ValueKind);
            Assert.True(root.TryGetProperty("statusCode", out var status) && status.ValueKind == JsonValueKind.Number, line);
            responses++;
        }

        if (all.Any(b => !(b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')))
        {
            Assert.True(responses > 0, $"no response to {Convert.ToBase64String(all)}");
        }
    }
}
