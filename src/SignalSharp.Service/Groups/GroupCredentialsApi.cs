using System.Globalization;
using SignalSharp.Service.Api;
using SignalSharp.Service.Transport;

namespace SignalSharp.Service.Groups;

/// <summary>
/// The chat-socket route that hands out group auth credentials (<c>GET /v1/certificate/auth/group</c>, authenticated
/// socket only). What the credentials mean (zkgroup) is the caller's business; this class knows the route.
/// </summary>
public sealed class GroupCredentialsApi(ChatConnection connection)
{
    /// <summary>The longest window the server serves: today and the next seven days.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(7);

    /// <summary>
    /// Credentials for every day from <paramref name="startDay"/> to <paramref name="endDay"/> (both epoch seconds at
    /// 00:00 UTC; the server rejects windows that start before today or span more than <see cref="MaxWindow"/>).
    /// </summary>
    /// <exception cref="ServiceAuthenticationException">401: the socket is not authenticated.</exception>
    /// <exception cref="UnexpectedResponseException">Any other failure (the mock answers a bad window with 500).</exception>
    public async Task<GroupAuthCredentials> GetAsync(long startDay, long endDay, CancellationToken cancellationToken = default)
    {
        var route = string.Create(CultureInfo.InvariantCulture,
            $"/v1/certificate/auth/group?redemptionStartSeconds={startDay}&redemptionEndSeconds={endDay}");
        var response = await connection.SendAsync(WebSocketRequest.Get(route), cancellationToken).ConfigureAwait(false);
        switch (response.Status)
        {
            case >= 200 and < 300:
                return response.ReadJson(GroupsJsonContext.Default.GroupAuthCredentials)
                    ?? throw new ServiceProtocolException($"GET {route}: empty JSON answer");
            case 401 or 403:
                throw new ServiceAuthenticationException($"GET {route}: not authorized ({response.Status})");
            default:
                var error = response.ReadJsonOrNull(GroupsJsonContext.Default.GroupErrorBody)?.Error;
                throw new UnexpectedResponseException("GET " + route, response.Status, error?.Split('\n', 2)[0]);
        }
    }
}

internal static class WebSocketResponseExtensions
{
    public static T? ReadJsonOrNull<T>(this WebSocketResponse response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
        where T : class
    {
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize(response.Body.Span, typeInfo);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
