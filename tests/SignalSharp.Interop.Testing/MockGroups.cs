using System.Text.Json.Nodes;

namespace SignalSharp.Interop.Testing;

/// <summary>A member of a mock group as the harness created it (role 2 = administrator).</summary>
public sealed record MockGroupMember(Guid Aci, int Role, byte[] ProfileKey);

/// <summary>A group created on the mock server by one of its primaries (interop/mock/groups.mjs).</summary>
public sealed record MockGroup(byte[] GroupId, byte[] MasterKey, uint Revision, string Title, IReadOnlyList<MockGroupMember> Members)
{
    public string GroupIdBase64 => Convert.ToBase64String(GroupId);
}

/// <summary>Driver methods for the group commands of the mock harness.</summary>
public static class MockGroups
{
    /// <summary>
    /// A mock primary (<paramref name="by"/>, a member itself) creates a group with the named primaries. With
    /// <paramref name="storageSync"/> the phone adds it to its storage-service state and sends its linked devices a
    /// fetch-storage sync message (awaited until acked when <paramref name="awaitSync"/>); <paramref name="storageOf"/>
    /// names that primary when the client linked to another account than the phone.
    /// </summary>
    public static async Task<MockGroup> CreateGroupAsync(
        this MockServer server,
        string title,
        IReadOnlyList<string>? members = null,
        string by = "phone",
        bool storageSync = true,
        bool awaitSync = false,
        string storageOf = "phone",
        CancellationToken cancellationToken = default)
    {
        var names = new JsonArray();
        foreach (var name in members ?? ["alice", "bob"])
        {
            names.Add(name);
        }

        var result = await server.CommandAsync("createGroup", new JsonObject
        {
            ["by"] = by,
            ["title"] = title,
            ["members"] = names,
            ["storageSync"] = storageSync,
            ["awaitSync"] = awaitSync,
            ["storageOf"] = storageOf,
        }, cancellationToken).ConfigureAwait(false) ?? throw new MockServerException("createGroup returned nothing");
        return Parse(result);
    }

    /// <summary>A member sends a text carrying the group's GroupContextV2 to <paramref name="to"/>; returns its timestamp.</summary>
    public static async Task<ulong> SendGroupTextAsync(
        this MockServer server,
        MockGroup group,
        string from,
        string text,
        string to = "linked",
        bool sealedSender = false,
        CancellationToken cancellationToken = default,
        uint? claimedRevision = null)
    {
        var command = new JsonObject
        {
            ["from"] = from,
            ["group"] = group.GroupIdBase64,
            ["to"] = to,
            ["text"] = text,
            ["sealed"] = sealedSender,
        };
        if (claimedRevision is { } revision)
        {
            command["revision"] = revision;
        }

        var result = await server.CommandAsync("sendGroupText", command, cancellationToken).ConfigureAwait(false);
        return result!["timestamp"]!.GetValue<ulong>();
    }

    /// <summary>A primary sends a text whose GroupContextV2 names a fresh master key: a group no server knows.</summary>
    public static async Task<ulong> SendUnknownGroupTextAsync(this MockServer server, string from, string text, string to = "linked",
        CancellationToken cancellationToken = default)
    {
        var result = await server.CommandAsync("sendGroupText", new JsonObject
        {
            ["from"] = from,
            ["unknownGroup"] = true,
            ["to"] = to,
            ["text"] = text,
        }, cancellationToken).ConfigureAwait(false);
        return result!["timestamp"]!.GetValue<ulong>();
    }

    /// <summary>
    /// <paramref name="by"/> removes the primary <paramref name="member"/>; the change goes to <paramref name="notify"/>
    /// (default: the linked device), not to the removed member. Returns the new revision.
    /// </summary>
    public static async Task<uint> RemoveFromGroupAsync(this MockServer server, MockGroup group, string member, string by = "phone",
        IReadOnlyList<string>? notify = null, CancellationToken cancellationToken = default)
    {
        var result = await server.CommandAsync("removeFromGroup", new JsonObject
        {
            ["group"] = group.GroupIdBase64,
            ["by"] = by,
            ["member"] = member,
            ["notify"] = Names(notify ?? ["linked"]),
        }, cancellationToken).ConfigureAwait(false);
        return result!["revision"]!.GetValue<uint>();
    }

    /// <summary>
    /// <paramref name="by"/> invites the primary <paramref name="invitee"/> (pending member); the change goes to
    /// <paramref name="notify"/> (default: the linked device). Returns the new revision.
    /// </summary>
    public static async Task<uint> InviteToGroupAsync(this MockServer server, MockGroup group, string invitee, string by = "phone",
        IReadOnlyList<string>? notify = null, CancellationToken cancellationToken = default)
    {
        var result = await server.CommandAsync("inviteToGroup", new JsonObject
        {
            ["group"] = group.GroupIdBase64,
            ["by"] = by,
            ["invitee"] = invitee,
            ["notify"] = Names(notify ?? ["linked"]),
        }, cancellationToken).ConfigureAwait(false);
        return result!["revision"]!.GetValue<uint>();
    }

    /// <summary><paramref name="by"/> sets the disappearing-messages timer; the change goes to <paramref name="notify"/>. Returns the new revision.</summary>
    public static async Task<uint> SetGroupTimerAsync(this MockServer server, MockGroup group, int seconds, string by = "phone",
        IReadOnlyList<string>? notify = null, CancellationToken cancellationToken = default)
    {
        var result = await server.CommandAsync("setGroupTimer", new JsonObject
        {
            ["group"] = group.GroupIdBase64,
            ["by"] = by,
            ["seconds"] = seconds,
            ["notify"] = Names(notify ?? ["linked"]),
        }, cancellationToken).ConfigureAwait(false);
        return result!["revision"]!.GetValue<uint>();
    }

    private static JsonArray Names(IEnumerable<string> names)
    {
        var array = new JsonArray();
        foreach (var name in names)
        {
            array.Add(name);
        }

        return array;
    }

    /// <summary>The group as the harness created it.</summary>
    public static async Task<MockGroup> GroupInfoAsync(this MockServer server, MockGroup group, CancellationToken cancellationToken = default)
    {
        var result = await server.CommandAsync("groupInfo", new JsonObject { ["group"] = group.GroupIdBase64 }, cancellationToken)
            .ConfigureAwait(false) ?? throw new MockServerException("groupInfo returned nothing");
        return Parse(result);
    }

    private static MockGroup Parse(JsonNode result)
    {
        var details = result["memberDetails"]?.AsArray() ?? result["members"]!.AsArray();
        var members = details.Select(m => new MockGroupMember(
            Guid.Parse(m!["aci"]!.GetValue<string>()),
            m["role"]!.GetValue<int>(),
            Convert.FromBase64String(m["profileKey"]!.GetValue<string>()))).ToList();
        return new MockGroup(
            Convert.FromBase64String(result["groupId"]!.GetValue<string>()),
            Convert.FromBase64String(result["masterKey"]!.GetValue<string>()),
            result["revision"]!.GetValue<uint>(),
            result["title"]!.GetValue<string>(),
            members);
    }
}
