using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Tests.Support;

namespace SignalSharp.JsonRpc.Tests.Methods;

/// <summary>
/// Golden shapes: our JSON next to records signal-cli itself wrote or declares, compared member by member in order
/// (the values differ: they are another account's). A client that reads signal-cli's JSON by position or by name
/// finds the same members here.
/// </summary>
public sealed class SignalCliShapeTests
{
    /// <summary>
    /// A typing notification as signal-cli 0.13 printed it on its TCP channel, quoted in a public write-up of a
    /// bridge (gabrc52/6.515-messaging-bridge, doc/platforms/signal.md); numbers and the uuid are that write-up's.
    /// </summary>
    private const string SignalCliTypingNotification =
        """{"jsonrpc":"2.0","method":"receive","params":{"envelope":{"source":"+1857yyyyyyy","sourceNumber":"+1857yyyyyyy","sourceUuid":"7ccae375-cd51-4c82-8b1e-7be3280aa485","sourceName":"Gabriel","sourceDevice":1,"timestamp":1745372297238,"serverReceivedTimestamp":1745372294830,"serverDeliveredTimestamp":1745372294831,"typingMessage":{"action":"STARTED","timestamp":1745372297238}},"account":"+1857xxxxxxx"}}""";

    /// <summary>The members of ListIdentitiesCommand's JsonIdentity record in signal-cli, in declaration order.</summary>
    private static readonly string[] SignalCliIdentityMembers = ["number", "uuid", "fingerprint", "safetyNumber", "scannableSafetyNumber", "trustLevel", "addedTimestamp"];

    /// <summary>The members of signal-cli's JsonReceiptMessage (notes/signal-cli.md §1), in order.</summary>
    private static readonly string[] SignalCliReceiptMembers = ["when", "isDelivery", "isRead", "isViewed", "timestamps"];

    [Fact]
    public async Task A_typing_notification_has_the_members_signal_cli_printed_in_its_order()
    {
        await using var harness = new Harness(ReceiveMode.OnStart);
        harness.Connection.Subscribe(internalSubscription: true);
        harness.Fake.Deliver(new ReceivedTyping(1_745_372_297_238, FakeAccount.KnownNumber, FakeAccount.KnownAci.ToString(), true, null));

        var ours = await harness.Output.NextObjectAsync();
        Assert.Equal(Shape(JsonNode.Parse(SignalCliTypingNotification)!), Shape(ours));
        Assert.Equal("STARTED", (string)ours["params"]!["envelope"]!["typingMessage"]!["action"]!);
    }

    [Fact]
    public async Task A_listed_identity_has_signal_clis_members_in_order()
    {
        await using var harness = new Harness();
        var answer = JsonLine.Parse(await harness.AskAsync("""{"jsonrpc":"2.0","method":"listIdentities","id":1}"""));
        var identity = answer["result"]![0]!.AsObject();
        Assert.Equal(SignalCliIdentityMembers, identity.Select(m => m.Key));
    }

    [Fact]
    public async Task A_receipt_has_signal_clis_members_in_order()
    {
        await using var harness = new Harness();
        harness.Fake.Deliver(new ReceivedReceipt(3002, FakeAccount.KnownNumber, FakeAccount.KnownAci.ToString(), ReceiptKind.Read, [3000]));
        var answer = JsonLine.Parse(await harness.AskAsync("""{"jsonrpc":"2.0","method":"receive","params":{"timeout":1},"id":1}"""));
        var receipt = answer["result"]![0]!["envelope"]!["receiptMessage"]!.AsObject();
        Assert.Equal(SignalCliReceiptMembers, receipt.Select(m => m.Key));
        Assert.True((bool)receipt["isRead"]!);
    }

    /// <summary>Every member's path, in document order (array elements by index); values are left out.</summary>
    private static List<string> Shape(JsonNode node, string path = "")
    {
        var paths = new List<string>();
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    paths.Add(path + "/" + name);
                    if (value is not null)
                    {
                        paths.AddRange(Shape(value, path + "/" + name));
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } element)
                    {
                        paths.AddRange(Shape(element, $"{path}/{i}"));
                    }
                }

                break;
        }

        return paths;
    }
}
