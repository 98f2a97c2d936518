using System.Text;
using SignalSharp.ZkGroup.Groups;

namespace SignalSharp.ZkGroup.Auth;

/// <summary>
/// The group server's HTTP Basic authorization: username = lowercase hex of the GroupPublicParams, password =
/// lowercase hex of a fresh auth-credential presentation for that group.
/// </summary>
public static class GroupServerAuthorization
{
    private const ulong SecondsPerDay = 86400;

    /// <summary>The <c>Authorization</c> header value for one request to the group server.</summary>
    public static string BasicHeader(AuthCredentialWithPni credential, ServerPublicParams serverParams, GroupSecretParams groupParams)
    {
        var username = Convert.ToHexStringLower(groupParams.PublicParams.Serialize());
        var password = Convert.ToHexStringLower(credential.Present(serverParams, groupParams));
        return "Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes($"{username}:{password}"));
    }

    /// <summary>The credential whose redemption day is today (UTC), which is the one the server accepts now.</summary>
    public static AuthCredentialWithPni? ForToday(IEnumerable<AuthCredentialWithPni> credentials, DateTimeOffset now)
    {
        var today = (ulong)Math.Max(0, now.ToUnixTimeSeconds()) / SecondsPerDay * SecondsPerDay;
        return credentials.FirstOrDefault(c => c.RedemptionTime == today);
    }
}
