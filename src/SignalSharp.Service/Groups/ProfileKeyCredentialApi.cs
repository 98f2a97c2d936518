using System.Globalization;
using SignalSharp.Service.Api;
using SignalSharp.Service.Transport;

namespace SignalSharp.Service.Groups;

/// <summary>
/// The chat-socket route that issues an expiring profile key credential for a contact whose profile key we know
/// (<c>GET /v1/profile/{aci}/{version}/{request}?credentialType=expiringProfileKey</c>). A group client needs one per
/// member it adds: the presentation made from it proves to the group server that the encrypted member id and
/// profile key belong together. Only the credential is read from the profile answer; the profile itself is not
/// this class's business.
/// </summary>
public sealed class ProfileKeyCredentialApi(ChatConnection connection)
{
    /// <summary>
    /// The serialized <c>ExpiringProfileKeyCredentialResponse</c> for <paramref name="aci"/>, asked for with the
    /// profile key version (hex, from the profile key and ACI) and a serialized <c>ProfileKeyCredentialRequest</c>.
    /// </summary>
    /// <exception cref="ProfileCredentialUnavailableException">404 (no such account) or an answer without a credential (a stale profile key).</exception>
    public async Task<byte[]> GetExpiringCredentialAsync(Guid aci, string profileKeyVersion, byte[] request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profileKeyVersion);
        ArgumentNullException.ThrowIfNull(request);
        var route = string.Create(CultureInfo.InvariantCulture,
            $"/v1/profile/{aci}/{profileKeyVersion}/{Convert.ToHexStringLower(request)}?credentialType=expiringProfileKey");
        var response = await connection.SendAsync(WebSocketRequest.Get(route), cancellationToken).ConfigureAwait(false);
        switch (response.Status)
        {
            case >= 200 and < 300:
                var answer = response.ReadJsonOrNull(GroupsJsonContext.Default.ProfileCredentialAnswer);
                return answer?.Credential is { Length: > 0 } credential
                    ? credential
                    : throw new ProfileCredentialUnavailableException(aci, "the profile came without a credential (its profile key changed)");
            case 404:
                throw new ProfileCredentialUnavailableException(aci, "no such account (404)");
            case 401:
                throw new ServiceAuthenticationException($"GET /v1/profile/{aci}/…: not authorized (401)");
            default:
                var error = response.ReadJsonOrNull(GroupsJsonContext.Default.GroupErrorBody)?.Error;
                throw new UnexpectedResponseException($"GET /v1/profile/{aci}/…", response.Status, error?.Split('\n', 2)[0]);
        }
    }
}

/// <summary>The server issued no profile key credential for a contact: the account is gone, or we hold an outdated profile key.</summary>
public sealed class ProfileCredentialUnavailableException(Guid aci, string reason)
    : ServiceException($"no profile key credential for {aci}: {reason}")
{
    public Guid Aci { get; } = aci;
}
