using System.Text.Json.Nodes;

namespace SignalSharp.Interop.Testing;

/// <summary>Driver methods for the group invite link commands of the mock harness (interop/mock/grouplinks.mjs).</summary>
public static class MockGroupLinks
{
    /// <summary>The primary <paramref name="by"/> turns the group's link on (with <paramref name="approval"/>: join requests); the new revision and the link.</summary>
    public static async Task<(uint Revision, string Url)> SetGroupLinkAsAsync(this MockServer server, byte[] masterKey, string by, bool approval,
        CancellationToken cancellationToken = default)
    {
        var r = await server.CommandAsync("setGroupLinkAs", new JsonObject { ["by"] = by, ["masterKey"] = Convert.ToBase64String(masterKey), ["approval"] = approval },
            cancellationToken).ConfigureAwait(false) ?? throw new MockServerException("setGroupLinkAs returned nothing");
        return (r["revision"]!.GetValue<uint>(), r["url"]!.GetValue<string>());
    }

    /// <summary>The primary <paramref name="by"/> uses the link: joins, or asks to (<c>Requested</c>) when the link needs approval.</summary>
    public static async Task<(uint Revision, bool Requested)> JoinByLinkAsAsync(this MockServer server, string url, string by, CancellationToken cancellationToken = default)
    {
        var r = await server.CommandAsync("joinByLinkAs", new JsonObject { ["by"] = by, ["url"] = url }, cancellationToken).ConfigureAwait(false)
            ?? throw new MockServerException("joinByLinkAs returned nothing");
        return (r["revision"]!.GetValue<uint>(), r["requested"]!.GetValue<bool>());
    }

    /// <summary>A link decoded with Signal's own GroupInviteLink proto: the master key and the password.</summary>
    public static async Task<(byte[] MasterKey, byte[] Password)> DecodeGroupLinkAsync(this MockServer server, string url, CancellationToken cancellationToken = default)
    {
        var r = await server.CommandAsync("decodeGroupLink", new JsonObject { ["url"] = url }, cancellationToken).ConfigureAwait(false)
            ?? throw new MockServerException("decodeGroupLink returned nothing");
        return (Convert.FromBase64String(r["masterKey"]!.GetValue<string>()), Convert.FromBase64String(r["password"]!.GetValue<string>()));
    }
}
