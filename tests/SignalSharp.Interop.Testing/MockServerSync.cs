using System.Globalization;
using System.Text.Json.Nodes;

namespace SignalSharp.Interop.Testing;

/// <summary>A sync message a mock primary (the phone) decrypted from one of its other devices.</summary>
/// <param name="SourceAci">The device that sent it (our linked device).</param>
/// <param name="Kind">The SyncMessage's content field: "sent", "request", "read", ...</param>
public sealed record MockSyncMessage(string SourceAci, uint SourceDeviceId, string? Kind, MockSyncSent? Sent);

/// <summary>SyncMessage.Sent as the phone read it.</summary>
public sealed record MockSyncSent(
    string? DestinationE164,
    string? DestinationServiceId,
    string? DestinationServiceIdBinary,
    long? Timestamp,
    string? Body,
    long? MessageTimestamp);

/// <summary>Driver for interop/mock/sync.mjs.</summary>
public static class MockServerSync
{
    /// <summary>The next sync message (of <paramref name="kind"/>, when given) that the mock primary <paramref name="at"/> decrypted.</summary>
    public static async Task<MockSyncMessage> WaitForSyncMessageAsync(this MockServer mock, string at = "phone", string? kind = null, int? timeoutMs = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mock);
        var args = new JsonObject { ["at"] = at };
        if (kind is not null)
        {
            args["kind"] = kind;
        }

        if (timeoutMs is { } ms)
        {
            args["timeoutMs"] = ms;
        }

        var result = (await mock.CommandAsync("waitForSyncMessage", args, cancellationToken).ConfigureAwait(false))!;
        var source = result["source"]!;
        MockSyncSent? sent = null;
        if (result["sent"] is JsonObject s)
        {
            sent = new MockSyncSent(
                s["destinationE164"]?.GetValue<string>(),
                s["destinationServiceId"]?.GetValue<string>(),
                s["destinationServiceIdBinary"]?.GetValue<string>(),
                ParseLong(s["timestamp"]),
                s["body"]?.GetValue<string>(),
                ParseLong(s["messageTimestamp"]));
        }

        return new MockSyncMessage(source["aci"]!.GetValue<string>(), source["deviceId"]!.GetValue<uint>(), result["kind"]?.GetValue<string>(), sent);
    }

    private static long? ParseLong(JsonNode? node) =>
        node is null ? null : long.Parse(node.ToString(), NumberStyles.None, CultureInfo.InvariantCulture);
}
