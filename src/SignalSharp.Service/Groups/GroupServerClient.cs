using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using SignalSharp.Service.Api;
using SignalSharp.Service.Http;

namespace SignalSharp.Service.Groups;

/// <summary>
/// The groups-v2 server (HTTPS, under the profile's storage URL). Every request is authorized for one group by
/// <c>Basic hex(GroupPublicParams):hex(AuthCredentialPresentation)</c>; a presentation may be used once per request,
/// so callers make a fresh one each time. Bodies are protobuf and returned undecoded: the group protos are the
/// account layer's, which decrypts them.
/// </summary>
public sealed class GroupServerClient(ServiceHttpClient http)
{
    private const string GroupsPath = "v2/groups";

    /// <summary><c>GET /v2/groups</c>: the serialized <c>GroupResponse</c> (group state and send endorsements).</summary>
    /// <exception cref="GroupNotFoundOnServerException">404.</exception>
    /// <exception cref="GroupAccessDeniedException">403: bad presentation or not a member.</exception>
    public Task<byte[]> GetGroupAsync(byte[] groupPublicParams, byte[] presentation, CancellationToken cancellationToken = default) =>
        GetAsync(GroupsPath, groupPublicParams, presentation, null, cancellationToken);

    /// <summary>
    /// <c>GET /v2/groups/logs/{since}</c>: the serialized <c>GroupChanges</c> from revision <paramref name="since"/> on.
    /// <paramref name="cachedEndorsementsExpiration"/> (epoch seconds; the server requires the header) lets the server
    /// skip new send endorsements while the cached ones stay valid for more than six hours.
    /// </summary>
    public async Task<byte[]> GetGroupLogsAsync(byte[] groupPublicParams, byte[] presentation, uint since, long cachedEndorsementsExpiration, CancellationToken cancellationToken = default) =>
        (await GetGroupLogPageAsync(groupPublicParams, presentation, since, cachedEndorsementsExpiration, cancellationToken).ConfigureAwait(false)).Changes;

    /// <summary>
    /// One page of <c>GET /v2/groups/logs/{since}</c>. The server answers at most a page of changes: 206 Partial
    /// Content with <c>Content-Range: versions {since}-{last}/{current}</c> when more follow (the next page starts
    /// at <c>last + 1</c>), 200 with the rest. Send endorsements come only with the last page; for the pages after
    /// the first, Signal's server asks clients to send an expired <paramref name="cachedEndorsementsExpiration"/>
    /// (0 does), so that the last page carries them.
    /// </summary>
    /// <exception cref="ServiceProtocolException">A 206 without a readable <c>versions</c> range that moves forward.</exception>
    public async Task<GroupLogPage> GetGroupLogPageAsync(byte[] groupPublicParams, byte[] presentation, uint since, long cachedEndorsementsExpiration,
        CancellationToken cancellationToken = default)
    {
        var path = string.Create(CultureInfo.InvariantCulture, $"{GroupsPath}/logs/{since}");
        var expiration = Math.Max(1, cachedEndorsementsExpiration).ToString(CultureInfo.InvariantCulture);
        var (body, range) = await SendWithRangeAsync(HttpMethod.Get, path, groupPublicParams, presentation, expiration, null, cancellationToken).ConfigureAwait(false);
        if (range is null)
        {
            return new GroupLogPage(body, null);
        }

        if (GroupLogRange.Parse(range) is not { } parsed || parsed.First != since || parsed.Last < since || parsed.Last >= parsed.Current)
        {
            throw new ServiceProtocolException($"GET /{GroupsPath}/logs: a partial answer with an unusable range ({range.Length} characters)");
        }

        return new GroupLogPage(body, parsed.Last + 1);
    }

    /// <summary><c>PUT /v2/groups</c>: creates the group described by <paramref name="group"/> (a serialized <c>Group</c> at revision 0); the <c>GroupResponse</c>.</summary>
    /// <exception cref="GroupAccessDeniedException">403.</exception>
    /// <exception cref="UnexpectedResponseException">Any other refusal (400: a malformed group; 409: the group exists).</exception>
    public Task<byte[]> CreateGroupAsync(byte[] groupPublicParams, byte[] presentation, byte[] group, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, GroupsPath, groupPublicParams, presentation, null, group ?? throw new ArgumentNullException(nameof(group)), cancellationToken);

    /// <summary>
    /// <c>PATCH /v2/groups</c> with a serialized <c>GroupChange.Actions</c>: the <c>GroupChangeResponse</c> (the change as the
    /// server signed it, and new send endorsements).
    /// </summary>
    /// <exception cref="GroupChangeConflictException">409: the group is no longer at the revision the actions build on.</exception>
    /// <exception cref="GroupAccessDeniedException">403: not allowed (or not a member).</exception>
    public async Task<byte[]> ModifyGroupAsync(byte[] groupPublicParams, byte[] presentation, byte[] actions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actions);
        return await SendAsync(new HttpMethod("PATCH"), GroupsPath, groupPublicParams, presentation, null, actions, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>PATCH /v2/groups?inviteLinkPassword=…</c>: a change by someone not yet a member who holds the invite link (joining,
    /// or asking to); the server checks the password. Answers as <see cref="ModifyGroupAsync(byte[], byte[], byte[], CancellationToken)"/>.
    /// </summary>
    public async Task<byte[]> ModifyGroupByLinkAsync(byte[] groupPublicParams, byte[] presentation, byte[] actions, byte[] inviteLinkPassword,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var path = GroupsPath + "?inviteLinkPassword=" + Uri.EscapeDataString(Base64Url(inviteLinkPassword));
        return await SendAsync(new HttpMethod("PATCH"), path, groupPublicParams, presentation, null, actions, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>GET /v1/groups/avatar/form</c>: the serialized <c>AvatarUploadAttributes</c>, a signed form for one upload of an
    /// encrypted group avatar to CDN 0 (the group need not exist yet: a new group's avatar goes up before it is created).
    /// </summary>
    public Task<byte[]> GetAvatarUploadFormAsync(byte[] groupPublicParams, byte[] presentation, CancellationToken cancellationToken = default) =>
        GetAsync("v1/groups/avatar/form", groupPublicParams, presentation, null, cancellationToken);

    /// <summary><c>GET /v2/groups/join/{inviteLinkPassword}</c>: the serialized <c>GroupJoinInfo</c> a holder of the invite link may read.</summary>
    /// <exception cref="GroupAccessDeniedException">403: the link is off, reset, or the account is banned.</exception>
    /// <exception cref="GroupNotFoundOnServerException">404.</exception>
    public Task<byte[]> GetJoinInfoAsync(byte[] groupPublicParams, byte[] presentation, byte[] inviteLinkPassword, CancellationToken cancellationToken = default) =>
        GetAsync($"{GroupsPath}/join/{Base64Url(inviteLinkPassword)}", groupPublicParams, presentation, null, cancellationToken);

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes ?? throw new ArgumentNullException(nameof(bytes))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The route as errors name it: never the invite link's password (in the join path or the query).</summary>
    private static string RouteName(HttpMethod method, string path) =>
        method.Method + " /" + (path.StartsWith(GroupsPath + "/join/", StringComparison.Ordinal) ? GroupsPath + "/join" : path.Split('?')[0]);

    private Task<byte[]> GetAsync(string path, byte[] groupPublicParams, byte[] presentation, string? cachedEndorsements, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, groupPublicParams, presentation, cachedEndorsements, null, cancellationToken);

    private async Task<byte[]> SendAsync(HttpMethod method, string path, byte[] groupPublicParams, byte[] presentation, string? cachedEndorsements, byte[]? body,
        CancellationToken cancellationToken) =>
        (await SendWithRangeAsync(method, path, groupPublicParams, presentation, cachedEndorsements, body, cancellationToken).ConfigureAwait(false)).Body;

    /// <summary>The answer's body, and its Content-Range when it is a 206 Partial Content.</summary>
    private async Task<(byte[] Body, string? PartialRange)> SendWithRangeAsync(HttpMethod method, string path, byte[] groupPublicParams, byte[] presentation,
        string? cachedEndorsements, byte[]? body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(groupPublicParams);
        ArgumentNullException.ThrowIfNull(presentation);
        using var request = http.StorageRequest(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        }

        var credentials = $"{Convert.ToHexStringLower(groupPublicParams)}:{Convert.ToHexStringLower(presentation)}";
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes(credentials)));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-protobuf"));
        if (cachedEndorsements is not null)
        {
            request.Headers.TryAddWithoutValidation("Cached-Send-Endorsements", cachedEndorsements);
        }

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var route = RouteName(method, path);
        if (response.StatusCode == System.Net.HttpStatusCode.PartialContent)
        {
            // Read unvalidated: "versions" is not a unit HttpClient's range parser is sure to keep.
            var range = response.Content.Headers.NonValidated.TryGetValues("Content-Range", out var values) ? values.ToString() : "";
            return (answer, range);
        }

        return ((int)response.StatusCode switch
        {
            >= 200 and < 300 => answer,
            401 => throw new ServiceAuthenticationException($"{route}: not authorized (401)"),
            403 => throw new GroupAccessDeniedException(route, ErrorText(answer)),
            404 => throw new GroupNotFoundOnServerException(route),
            409 when body is not null && method.Method == "PATCH" => throw new GroupChangeConflictException(route),
            var status => throw new UnexpectedResponseException(route, status, ErrorText(answer)),
        }, null);
    }

    internal static string? ErrorText(byte[] body)
    {
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize(body, GroupsJsonContext.Default.GroupErrorBody)?.Error?.Split('\n', 2)[0];
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
