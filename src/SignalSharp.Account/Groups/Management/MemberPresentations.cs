using System.Collections.Concurrent;
using SignalSharp.Service.Groups;
using SignalSharp.ZkGroup;
using SignalSharp.ZkGroup.Groups;
using SignalSharp.ZkGroup.Profiles;

namespace SignalSharp.Account.Groups.Management;

/// <summary>
/// Profile key credential presentations for members we put into a group: the group server takes a member (rather
/// than an invitee) only with one, proving that the encrypted id and profile key belong to the same account. The
/// expiring credential behind it comes from the profile route and is kept in memory until a day before it expires,
/// per (ACI, profile key): a new profile key needs a new credential.
/// </summary>
internal sealed class MemberPresentations(ProfileKeyCredentialApi api, Func<ServerPublicParams> serverParams, TimeProvider time)
{
    private static readonly TimeSpan Margin = TimeSpan.FromDays(1);

    private readonly ConcurrentDictionary<(Guid Aci, string KeyVersion), ExpiringProfileKeyCredential> cache = new();

    /// <summary>A presentation of <paramref name="aci"/>'s credential for <paramref name="group"/>.</summary>
    /// <exception cref="ProfileCredentialUnavailableException">The server issued none (unknown account, or a stale profile key).</exception>
    public async Task<byte[]> PresentAsync(Guid aci, byte[] profileKey, GroupSecretParams group, CancellationToken cancellationToken)
    {
        var credential = await CredentialAsync(aci, profileKey, cancellationToken).ConfigureAwait(false);
        return credential.Present(serverParams(), group);
    }

    private async Task<ExpiringProfileKeyCredential> CredentialAsync(Guid aci, byte[] profileKey, CancellationToken cancellationToken)
    {
        var serviceId = ZkServiceId.Aci(aci.ToByteArray(bigEndian: true));
        var key = new ProfileKey(profileKey);
        var version = key.GetProfileKeyVersion(serviceId);
        var now = time.GetUtcNow();
        if (cache.TryGetValue((aci, version), out var cached) && DateTimeOffset.FromUnixTimeSeconds((long)cached.ExpirationSeconds) - Margin > now)
        {
            return cached;
        }

        var context = ProfileKeyCredentialRequestContext.Create(serviceId, key);
        var response = await api.GetExpiringCredentialAsync(aci, version, context.GetRequest(), cancellationToken).ConfigureAwait(false);
        // Receive checks the issuing proof: a credential that does not verify is never presented.
        var credential = ExpiringProfileKeyCredentialResponse.Deserialize(response).Receive(context, serverParams(), now);
        cache[(aci, version)] = credential;
        return credential;
    }
}
