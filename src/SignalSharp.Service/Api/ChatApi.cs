using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using SignalSharp.Service.Transport;

namespace SignalSharp.Service.Api;

/// <summary>
/// Typed chat-service routes over a <see cref="ChatConnection"/> (the mock serves them only inside the WebSocket).
/// Knows the routes' bodies and status codes; knows nothing of keys, sessions or storage.
/// </summary>
public sealed class ChatApi(ChatConnection connection)
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

    private static void EnsureSuccess(WebSocketResponse response, string route)
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
