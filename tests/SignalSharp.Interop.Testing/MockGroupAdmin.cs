using System.Text.Json.Nodes;

namespace SignalSharp.Interop.Testing;

/// <summary>A group as the mock's group server holds it, decrypted by the harness with the master key (interop/mock/groupadmin.mjs).</summary>
public sealed record MockServerGroup(
    uint Revision,
    string? Title,
    string? Description,
    uint Timer,
    IReadOnlyList<(Guid Aci, int Role)> Members,
    IReadOnlyList<(string ServiceId, int Role)> Pending,
    IReadOnlyList<Guid> Requesting,
    (int Attributes, int Members, int AddFromInviteLink) Access,
    byte[]? InviteLinkPassword,
    bool AnnouncementsOnly)
{
    public int? RoleOf(Guid aci) => Members.Where(m => m.Aci == aci).Select(m => (int?)m.Role).FirstOrDefault();
}

/// <summary>Driver methods for the group administration commands of the mock harness.</summary>
public static class MockGroupAdmin
{
    /// <summary>The group the mock's group server holds for <paramref name="masterKey"/>, or null when it holds none.</summary>
    public static async Task<MockServerGroup?> ServerGroupAsync(this MockServer server, byte[] masterKey, CancellationToken cancellationToken = default)
    {
        var r = await server.CommandAsync("serverGroup", new JsonObject { ["masterKey"] = Convert.ToBase64String(masterKey) }, cancellationToken).ConfigureAwait(false)
            ?? throw new MockServerException("serverGroup returned nothing");
        if (r["missing"]?.GetValue<bool>() == true)
        {
            return null;
        }

        var access = r["access"]!;
        return new MockServerGroup(
            r["revision"]!.GetValue<uint>(),
            r["title"]?.GetValue<string>(),
            r["description"]?.GetValue<string>(),
            r["timer"]!.GetValue<uint>(),
            [.. r["members"]!.AsArray().Select(m => (Guid.Parse(m!["aci"]!.GetValue<string>()), m["role"]!.GetValue<int>()))],
            [.. r["pending"]!.AsArray().Select(p => (p!["serviceId"]!.GetValue<string>(), p["role"]!.GetValue<int>()))],
            [.. r["requesting"]!.AsArray().Select(a => Guid.Parse(a!.GetValue<string>()))],
            (access["attributes"]!.GetValue<int>(), access["members"]!.GetValue<int>(), access["addFromInviteLink"]!.GetValue<int>()),
            r["inviteLinkPassword"] is { } password ? Convert.FromBase64String(password.GetValue<string>()) : null,
            r["announcementsOnly"]!.GetValue<bool>());
    }
}

/// <summary>A signed group change as libsignal sees it: whether the server's notary signature verifies, and its revision.</summary>
public sealed record MockGroupChangeCheck(bool SignatureValid, uint Version);

public static class MockGroupChangeInspection
{
    public static async Task<MockGroupChangeCheck> InspectGroupChangeAsync(this MockServer server, byte[] groupChange, CancellationToken cancellationToken = default)
    {
        var r = await server.CommandAsync("inspectGroupChange", new JsonObject { ["groupChange"] = Convert.ToBase64String(groupChange) }, cancellationToken).ConfigureAwait(false)
            ?? throw new MockServerException("inspectGroupChange returned nothing");
        return new MockGroupChangeCheck(r["signatureValid"]!.GetValue<bool>(), r["version"]!.GetValue<uint>());
    }
}

public static class MockGroupMemberChanges
{
    /// <summary>
    /// The primary <paramref name="by"/> changes the group (title, description, timer, a member removed) through the
    /// group server and, when <paramref name="notify"/> names targets, tells them; returns the new revision.
    /// </summary>
    public static async Task<uint> ChangeGroupAsAsync(this MockServer server, byte[] masterKey, string by, string? title = null, string? description = null,
        int? timer = null, string? removeMember = null, IReadOnlyList<string>? notify = null, CancellationToken cancellationToken = default)
    {
        var args = new JsonObject { ["by"] = by, ["masterKey"] = Convert.ToBase64String(masterKey), ["notify"] = new JsonArray([.. (notify ?? []).Select(n => (JsonNode?)n)]) };
        if (title is not null)
        {
            args["title"] = title;
        }

        if (description is not null)
        {
            args["description"] = description;
        }

        if (timer is not null)
        {
            args["timer"] = timer;
        }

        if (removeMember is not null)
        {
            args["removeMember"] = removeMember;
        }

        var r = await server.CommandAsync("changeGroupAs", args, cancellationToken).ConfigureAwait(false) ?? throw new MockServerException("changeGroupAs returned nothing");
        return r["revision"]!.GetValue<uint>();
    }
}
