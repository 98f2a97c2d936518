using System.Text.Json.Serialization;
using SignalSharp.Service.Transport;

namespace SignalSharp.Service.Api;

/// <summary>The profile routes: a contact's versioned profile, and writing the account's own.</summary>
public sealed partial class ChatApi
{
    /// <summary>
    /// <c>GET /v1/profile/{aci}/{version}</c>: the profile written under the version a profile key names. With
    /// <paramref name="unidentifiedAccessKey"/> the request proves it knows the key (needed on an unauthenticated
    /// connection); on the authenticated connection the server checks none.
    /// </summary>
    /// <exception cref="UnregisteredRecipientException">404: no such account.</exception>
    public async Task<VersionedProfile> GetVersionedProfileAsync(Guid aci, string version, byte[]? unidentifiedAccessKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(version);
        var route = $"/v1/profile/{aci}/{Uri.EscapeDataString(version)}";
        var request = WebSocketRequest.Get(route);
        if (unidentifiedAccessKey is not null)
        {
            request = request.WithHeader("Unidentified-Access-Key", Convert.ToBase64String(unidentifiedAccessKey));
        }

        var response = await Connection.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Status == 404)
        {
            throw new UnregisteredRecipientException(aci.ToString());
        }

        // Log the route without the version: it is derived from the contact's profile key.
        return Read(response, "GET /v1/profile/{aci}/{version}", Json.VersionedProfile);
    }

    /// <summary>
    /// Whether <paramref name="aci"/> is a registered account: <c>GET /v1/profile/{aci}</c> on the authenticated
    /// connection answers 200 for one and 404 for none (the profile itself stays encrypted and is not read here).
    /// </summary>
    public async Task<bool> IsRegisteredAsync(Guid aci, CancellationToken cancellationToken = default)
    {
        var response = await Connection.SendAsync(WebSocketRequest.Get($"/v1/profile/{aci}"), cancellationToken).ConfigureAwait(false);
        if (response.Status == 404)
        {
            return false;
        }

        EnsureSuccess(response, "GET /v1/profile/{aci}");
        return true;
    }

    /// <summary><c>PUT /v1/profile</c>: writes the account's profile under a new version (the fields already encrypted).</summary>
    public async Task SetProfileAsync(ProfileWrite profile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var response = await Connection.SendAsync(WebSocketRequest.Json("PUT", "/v1/profile", profile, Json.ProfileWrite), cancellationToken).ConfigureAwait(false);
        EnsureSuccess(response, "PUT /v1/profile");
    }

    /// <summary>
    /// <c>PUT /v1/profile</c> with <see cref="ProfileWrite.Avatar"/>: the server answers with the form under which the
    /// encrypted avatar is then posted to CDN 0 (<see cref="Profiles.ProfileAvatarUpload"/>).
    /// </summary>
    public async Task<ProfileAvatarUploadForm> SetProfileWithAvatarAsync(ProfileWrite profile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var request = WebSocketRequest.Json("PUT", "/v1/profile", profile with { Avatar = true, SameAvatar = false }, Json.ProfileWrite);
        var response = await Connection.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return Read(response, "PUT /v1/profile", Json.ProfileAvatarUploadForm);
    }
}

/// <summary>The signed form for a profile avatar upload to CDN 0; <see cref="Key"/> becomes the profile's avatar path.</summary>
public sealed record ProfileAvatarUploadForm(string Key, string Credential, string Acl, string Algorithm, string Date, string Policy, string Signature);

/// <summary>
/// A profile as the server keeps it: every text field is AES-256-GCM ciphertext under the owner's profile key
/// (base64 of nonce ‖ ciphertext ‖ tag), <see cref="Avatar"/> the CDN path of the encrypted avatar.
/// </summary>
public sealed record VersionedProfile
{
    public byte[]? IdentityKey { get; init; }

    public byte[]? Name { get; init; }

    public byte[]? About { get; init; }

    public byte[]? AboutEmoji { get; init; }

    public string? Avatar { get; init; }

    public Dictionary<string, bool>? Capabilities { get; init; }

    public bool UnrestrictedUnidentifiedAccess { get; init; }
}

/// <summary>
/// Body of <c>PUT /v1/profile</c>. <see cref="Version"/> and <see cref="Commitment"/> come from the profile key
/// (zkgroup), so contacts holding the key find this version and the group server can check presentations of it.
/// </summary>
public sealed record ProfileWrite(string Version, byte[] Commitment, byte[] Name)
{
    public byte[]? About { get; init; }

    public byte[]? AboutEmoji { get; init; }

    /// <summary>True when a new avatar follows (the answer carries its upload form).</summary>
    public bool Avatar { get; init; }

    /// <summary>Keep the avatar of the previous version (meaningless with <see cref="Avatar"/>).</summary>
    public bool SameAvatar { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public IReadOnlyList<string> BadgeIds { get; init; } = [];
}
