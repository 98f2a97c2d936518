using System.Text.Json.Nodes;

namespace SignalSharp.Interop.Testing;

/// <summary>A group message a mock primary decrypted: its text or reaction and the group context it carried.</summary>
public sealed record MockGroupMessage(
    Guid SourceAci,
    string? Body,
    ulong? Timestamp,
    byte[]? GroupMasterKey,
    uint? GroupRevision,
    string? ReactionEmoji,
    bool ReactionRemove,
    Guid? ReactionTargetAuthor,
    ulong? ReactionTargetTimestamp,
    IReadOnlyList<string?> AttachmentFileNames)
{
    /// <summary>The signed group change the context carried (a group update), or null.</summary>
    public byte[]? GroupChange { get; init; }
}

/// <summary>A Sent transcript the phone got from the linked client.</summary>
public sealed record MockGroupSentTranscript(ulong Timestamp, string? Body, string? DestinationServiceId, byte[]? GroupMasterKey, uint? GroupRevision);

/// <summary>Driver methods for the group messaging commands of the mock harness (interop/mock/groupmsg.mjs).</summary>
public static class MockGroupMessaging
{
    /// <summary>From now on the named primaries keep group messages apart from their 1:1 message queue.</summary>
    public static Task RouteGroupMessagesAsync(this MockServer server, IEnumerable<string> names, CancellationToken cancellationToken = default)
    {
        var array = new JsonArray();
        foreach (var name in names)
        {
            array.Add(name);
        }

        return server.CommandAsync("routeGroupMessages", new JsonObject { ["names"] = array }, cancellationToken);
    }

    public static async Task<MockGroupMessage> WaitForGroupMessageAsync(this MockServer server, string at, int timeoutMs = 30_000, CancellationToken cancellationToken = default)
    {
        var r = await server.CommandAsync("waitForGroupMessage", new JsonObject { ["at"] = at, ["timeoutMs"] = timeoutMs }, cancellationToken).ConfigureAwait(false)
            ?? throw new MockServerException("waitForGroupMessage returned nothing");
        var group = r["group"];
        var reaction = r["reaction"];
        return new MockGroupMessage(
            Guid.Parse(r["source"]!["aci"]!.GetValue<string>()),
            r["body"]?.GetValue<string>(),
            r["timestamp"] is { } ts ? ulong.Parse(ts.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) : null,
            group?["masterKey"] is { } mk ? Convert.FromBase64String(mk.GetValue<string>()) : null,
            group?["revision"]?.GetValue<uint>(),
            reaction?["emoji"]?.GetValue<string>(),
            reaction?["remove"]?.GetValue<bool>() ?? false,
            reaction?["targetAuthorAci"] is { } author ? Guid.Parse(author.GetValue<string>()) : null,
            reaction?["targetSentTimestamp"] is { } target ? ulong.Parse(target.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) : null,
            [.. (r["attachments"]?.AsArray() ?? []).Select(a => a?["fileName"]?.GetValue<string>())])
        {
            GroupChange = group?["groupChange"] is { } change ? Convert.FromBase64String(change.GetValue<string>()) : null,
        };
    }

    public static async Task<int> GroupQueueSizeAsync(this MockServer server, string at, CancellationToken cancellationToken = default)
        => (await server.CommandAsync("groupQueueSize", new JsonObject { ["at"] = at }, cancellationToken).ConfigureAwait(false))!.GetValue<int>();

    public static async Task<MockGroupSentTranscript> WaitForSentTranscriptAsync(this MockServer server, ulong timestamp, string at = "phone", int timeoutMs = 30_000,
        CancellationToken cancellationToken = default)
    {
        var r = await server.CommandAsync("waitForSentTranscript", new JsonObject { ["at"] = at, ["timestamp"] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), ["timeoutMs"] = timeoutMs },
            cancellationToken).ConfigureAwait(false) ?? throw new MockServerException("waitForSentTranscript returned nothing");
        var group = r["group"];
        return new MockGroupSentTranscript(
            ulong.Parse(r["timestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
            r["body"]?.GetValue<string>(),
            r["destinationServiceId"]?.GetValue<string>(),
            group?["masterKey"] is { } mk ? Convert.FromBase64String(mk.GetValue<string>()) : null,
            group?["revision"]?.GetValue<uint>());
    }

    /// <summary>Unregisters the primary <paramref name="name"/> (sends to it answer 404), or registers it again.</summary>
    public static Task SetRegisteredAsync(this MockServer server, string name, bool registered, CancellationToken cancellationToken = default)
        => server.CommandAsync("setRegistered", new JsonObject { ["name"] = name, ["registered"] = registered }, cancellationToken);

    /// <summary>The primary <paramref name="name"/> acts reinstalled: a new registration id, and the sender keys it
    /// had received forgotten. Returns the new registration id.</summary>
    public static async Task<uint> ReinstallDeviceAsync(this MockServer server, string name, CancellationToken cancellationToken = default)
        => (await server.CommandAsync("reinstallDevice", new JsonObject { ["name"] = name }, cancellationToken).ConfigureAwait(false))!["registrationId"]!.GetValue<uint>();

    /// <summary>A member sends a group text by sender key, sealed v2 (its SKDM first, once per member, group and target).</summary>
    public static async Task<ulong> SendGroupSenderKeyTextAsync(this MockServer server, MockGroup group, string from, string text, string to = "linked",
        CancellationToken cancellationToken = default)
    {
        var r = await server.CommandAsync("sendGroupSenderKeyText", new JsonObject
        {
            ["from"] = from,
            ["group"] = group.GroupIdBase64,
            ["to"] = to,
            ["text"] = text,
        }, cancellationToken).ConfigureAwait(false);
        return r!["timestamp"]!.GetValue<ulong>();
    }
}
