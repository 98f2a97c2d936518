using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using SignalSharp.Service.Transport;

namespace SignalSharp.Service.Api;

/// <summary>
/// Typed chat-service routes over a <see cref="ChatConnection"/> (the mock serves them only inside the WebSocket).
/// Knows the routes' bodies and status codes; knows nothing of keys, sessions or storage.
/// </summary>
public sealed partial class ChatApi(ChatConnection connection)
{
    private static ApiJsonContext Json => ApiJsonContext.Default;

    public ChatConnection Connection { get; } = connection;

    public async Task<WhoAmI> WhoAmIAsync(CancellationToken cancellationToken = default)
    {
        var response = await Connection.SendAsync(WebSocketRequest.Get("/v1/accounts/whoami"), cancellationToken).ConfigureAwait(false);
        return Read(response, "GET /v1/accounts/whoami", Json.WhoAmI);
    }

    /// <summary><c>PUT /v2/keys</c>, for the PNI identity when <paramref name="pni"/> is set.</summary>
    public async Task SetPreKeysAsync(PreKeyUpload upload, bool pni = false, CancellationToken cancellationToken = default)
    {
        var route = "/v2/keys" + (pni ? "?identity=pni" : "");
        var response = await Connection.SendAsync(WebSocketRequest.Json("PUT", route, upload, Json.PreKeyUpload), cancellationToken).ConfigureAwait(false);
        EnsureSuccess(response, "PUT " + route);
    }

    public async Task<PreKeyCounts> GetPreKeyCountsAsync(bool pni = false, CancellationToken cancellationToken = default)
    {
        var route = "/v2/keys" + (pni ? "?identity=pni" : "");
        var response = await Connection.SendAsync(WebSocketRequest.Get(route), cancellationToken).ConfigureAwait(false);
        return Read(response, "GET " + route, Json.PreKeyCounts);
    }

    /// <summary>Pre-key bundles of one device, or of all devices when <paramref name="deviceId"/> is null.</summary>
    /// <exception cref="UnregisteredRecipientException">No such account or device.</exception>
    public async Task<PreKeyBundles> GetPreKeysAsync(string serviceId, uint? deviceId = null, byte[]? unidentifiedAccessKey = null, CancellationToken cancellationToken = default)
    {
        var route = $"/v2/keys/{Uri.EscapeDataString(serviceId)}/{(deviceId is { } id ? id.ToString(CultureInfo.InvariantCulture) : "*")}";
        var request = WebSocketRequest.Get(route);
        if (unidentifiedAccessKey is not null)
        {
            request = request.WithHeader("Unidentified-Access-Key", Convert.ToBase64String(unidentifiedAccessKey));
        }

        var response = await Connection.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Status == 404)
        {
            throw new UnregisteredRecipientException(serviceId);
        }

        return Read(response, "GET " + route, Json.PreKeyBundles);
    }

    /// <summary>
    /// <c>PUT /v1/messages/{serviceId}</c>. Sealed sends go over an unauthenticated connection with the recipient's
    /// <paramref name="unidentifiedAccessKey"/>; on an authenticated connection the server checks no key.
    /// </summary>
    /// <exception cref="UnregisteredRecipientException">404.</exception>
    /// <exception cref="ServiceAuthenticationException">401: missing or wrong access key.</exception>
    /// <exception cref="RateLimitChallengeException">428.</exception>
    /// <exception cref="PayloadTooLargeException">413.</exception>
    public async Task<SendMessageOutcome> SendMessageAsync(string serviceId, DeviceCiphertextList messages, byte[]? unidentifiedAccessKey = null, CancellationToken cancellationToken = default)
    {
        var route = "/v1/messages/" + Uri.EscapeDataString(serviceId);
        var request = WebSocketRequest.Json("PUT", route, messages, Json.DeviceCiphertextList);
        if (unidentifiedAccessKey is not null)
        {
            request = request.WithHeader("Unidentified-Access-Key", Convert.ToBase64String(unidentifiedAccessKey));
        }

        var response = await Connection.SendAsync(request, cancellationToken).ConfigureAwait(false);
        switch (response.Status)
        {
            case 200:
                return new SendMessageOutcome.Sent();
            case 409:
                var mismatched = Parse(response, "PUT " + route, Json.MismatchedDevicesBody);
                return new SendMessageOutcome.MismatchedDevices(mismatched.MissingDevices ?? [], mismatched.ExtraDevices ?? []);
            case 410:
                return new SendMessageOutcome.StaleDevices(Parse(response, "PUT " + route, Json.StaleDevicesBody).StaleDevices ?? []);
            case 404:
                throw new UnregisteredRecipientException(serviceId);
            case 401:
                throw new ServiceAuthenticationException($"PUT {route}: {ErrorText(response) ?? "unauthorized"} (401)");
            case 413:
                throw new PayloadTooLargeException("PUT " + route);
            case 428:
                var challenge = TryRead(response, Json.ChallengeBody);
                throw new RateLimitChallengeException(challenge?.Token ?? "", challenge?.Options ?? []);
            default:
                throw new UnexpectedResponseException("PUT " + route, response.Status, ErrorText(response));
        }
    }

    /// <summary>
    /// <c>PUT /v1/messages/multi_recipient?ts=&amp;online=false&amp;urgent=</c> on an unauthenticated connection: one
    /// sealed-sender v2 payload for many recipients, authorised by the <c>Group-Send-Token</c> header (base64).
    /// 200 lists unregistered recipients (<c>uuids404</c>), 401 refuses the token, 409/410 name device mismatches.
    /// </summary>
    /// <exception cref="RateLimitChallengeException">428.</exception>
    /// <exception cref="PayloadTooLargeException">413.</exception>
    public async Task<MultiRecipientOutcome> SendMultiRecipientAsync(ReadOnlyMemory<byte> payload, ulong timestamp, ReadOnlyMemory<byte> groupSendToken, bool urgent,
        CancellationToken cancellationToken = default)
    {
        const string Route = "PUT /v1/messages/multi_recipient";
        var path = string.Create(CultureInfo.InvariantCulture, $"/v1/messages/multi_recipient?ts={timestamp}&online=false&urgent={(urgent ? "true" : "false")}");
        var request = new WebSocketRequest("PUT", path)
        {
            Body = payload,
            Headers = ["content-type:application/vnd.signal-messenger.mrm", "Group-Send-Token:" + Convert.ToBase64String(groupSendToken.Span)],
        };
        var response = await Connection.SendAsync(request, cancellationToken).ConfigureAwait(false);
        switch (response.Status)
        {
            case 200:
                var sent = TryRead(response, Json.MultiRecipientSentBody);
                return new MultiRecipientOutcome.Sent([.. (sent?.Uuids404 ?? []).Select(id => ParseServiceId(id, Route))]);
            case 401:
                return new MultiRecipientOutcome.Unauthorized(ErrorText(response) ?? "the group send token was refused (401)");
            case 409 or 410:
                var accounts = Parse(response, Route, Json.ListAccountDevicesBody);
                return new MultiRecipientOutcome.Mismatched([.. accounts.Select(a => new RecipientDeviceMismatch(
                    ParseServiceId(a.Uuid, Route), a.Devices?.MissingDevices ?? [], a.Devices?.ExtraDevices ?? [], a.Devices?.StaleDevices ?? []))]);
            case 413:
                throw new PayloadTooLargeException(Route);
            case 428:
                var challenge = TryRead(response, Json.ChallengeBody);
                throw new RateLimitChallengeException(challenge?.Token ?? "", challenge?.Options ?? []);
            default:
                throw new UnexpectedResponseException(Route, response.Status, ErrorText(response));
        }
    }

    /// <summary>A service id string: a bare UUID for an ACI, <c>PNI:</c> and a UUID for a PNI.</summary>
    private static Guid ParseServiceId(string? id, string route)
    {
        var uuid = id is not null && id.StartsWith("PNI:", StringComparison.OrdinalIgnoreCase) ? id[4..] : id;
        return Guid.TryParse(uuid, out var guid) ? guid : throw new ServiceProtocolException($"{route}: \"{id}\" is not a service id");
    }

    /// <summary>The serialized sender certificate for sealed sender (<c>GET /v1/certificate/delivery</c>).</summary>
    public async Task<byte[]> GetSenderCertificateAsync(bool includeE164 = true, CancellationToken cancellationToken = default)
    {
        var route = "/v1/certificate/delivery" + (includeE164 ? "" : "?includeE164=false");
        var response = await Connection.SendAsync(WebSocketRequest.Get(route), cancellationToken).ConfigureAwait(false);
        return Read(response, "GET " + route, Json.CertificateBody).Certificate;
    }

    /// <summary>
    /// <c>GET /v4/attachments/form/upload?uploadLength=N</c> on the authenticated socket: where to upload a blob of
    /// <paramref name="uploadLength"/> bytes (the encrypted length).
    /// </summary>
    /// <exception cref="Attachments.AttachmentTransferException">413: the server refuses blobs that large.</exception>
    public async Task<Attachments.AttachmentUploadForm> GetUploadFormAsync(long uploadLength, CancellationToken cancellationToken = default)
    {
        var route = "/v4/attachments/form/upload?uploadLength=" + uploadLength.ToString(CultureInfo.InvariantCulture);
        var response = await Connection.SendAsync(WebSocketRequest.Get(route), cancellationToken).ConfigureAwait(false);
        if (response.Status == 413)
        {
            throw new Attachments.AttachmentTransferException($"the server refuses uploads of {uploadLength} bytes", 413);
        }

        var form = Read(response, "GET /v4/attachments/form/upload", Json.UploadFormBody);
        if (form.Key is not { Length: > 0 } key || !Uri.TryCreate(form.SignedUploadLocation, UriKind.Absolute, out _))
        {
            throw new ServiceProtocolException("GET /v4/attachments/form/upload: the form lacks a key or an upload location");
        }

        return new Attachments.AttachmentUploadForm(form.Cdn, key, form.Headers ?? [], form.SignedUploadLocation!);
    }

    /// <summary>
    /// <c>PUT /v1/challenge</c> on the authenticated socket: answers a 428 rate-limit challenge (its token) with a
    /// solved captcha, as signal-cli's submitRateLimitChallenge does. 428 means the captcha was not accepted.
    /// </summary>
    /// <exception cref="RateLimitChallengeException">428: the answer was refused; a new challenge applies.</exception>
    public async Task SubmitRateLimitChallengeAsync(string token, string captcha, CancellationToken cancellationToken = default)
    {
        const string Route = "PUT /v1/challenge";
        var request = WebSocketRequest.Json("PUT", "/v1/challenge", new ChallengeAnswer("captcha", token, captcha), Json.ChallengeAnswer);
        var response = await Connection.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Status == 428)
        {
            var challenge = TryRead(response, Json.ChallengeBody);
            throw new RateLimitChallengeException(challenge?.Token ?? token, challenge?.Options ?? []);
        }

        EnsureSuccess(response, Route);
    }

    public async Task<StorageCredentials> GetStorageCredentialsAsync(CancellationToken cancellationToken = default)
    {
        var response = await Connection.SendAsync(WebSocketRequest.Get("/v1/storage/auth"), cancellationToken).ConfigureAwait(false);
        return Read(response, "GET /v1/storage/auth", Json.StorageCredentials);
    }

    /// <summary>
    /// <c>PUT /v1/devices/link</c> on an unauthenticated connection. The username is the ACI (the number makes the
    /// mock fail), and any failure burns the provisioning code: linking then starts over with a new provisioning socket.
    /// </summary>
    public async Task<LinkDeviceResponse> LinkDeviceAsync(string aci, string password, LinkDeviceRequest body, CancellationToken cancellationToken = default)
    {
        var authorization = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{aci}:{password}"));
        var request = WebSocketRequest.Json("PUT", "/v1/devices/link", body, Json.LinkDeviceRequest).WithHeader("authorization", authorization);
        var response = await Connection.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return Read(response, "PUT /v1/devices/link", Json.LinkDeviceResponse);
    }

    private static T Read<T>(WebSocketResponse response, string route, JsonTypeInfo<T> typeInfo)
    {
        EnsureSuccess(response, route);
        return Parse(response, route, typeInfo);
    }

    private static T Parse<T>(WebSocketResponse response, string route, JsonTypeInfo<T> typeInfo) =>
        response.ReadJson(typeInfo) ?? throw new ServiceProtocolException($"{route}: empty JSON answer");

    private static T? TryRead<T>(WebSocketResponse response, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(response.Body.Span, typeInfo);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static void EnsureSuccess(WebSocketResponse response, string route)
    {
        switch (response.Status)
        {
            case >= 200 and < 300:
                return;
            case 401 or 403:
                throw new ServiceAuthenticationException($"{route}: {ErrorText(response) ?? "not authorized"} ({response.Status})");
            case 413:
                throw new PayloadTooLargeException(route);
            default:
                throw new UnexpectedResponseException(route, response.Status, ErrorText(response));
        }
    }

    // The mock puts a JS stack into 500 answers: the first line is the message.
    private static string? ErrorText(WebSocketResponse response)
    {
        var error = TryRead(response, Json.ErrorBody)?.Error;
        return error?.Split('\n', 2)[0];
    }
}
