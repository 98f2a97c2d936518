using SignalSharp.Service.Transport;

namespace SignalSharp.Service.Api;

/// <summary>
/// Registering a new primary account over an unauthenticated chat socket: verification session, captcha, code,
/// then <c>POST /v1/registration</c>. (On the mock the code is always 111111, and it must be requested first.)
/// </summary>
public sealed class RegistrationApi(ChatConnection connection)
{
    private const string Sessions = "/v1/verification/session";
    private static RegistrationJsonContext Json => RegistrationJsonContext.Default;

    public ChatConnection Connection { get; } = connection;

    public Task<VerificationSession> CreateSessionAsync(string number, CancellationToken cancellationToken = default) =>
        SessionCallAsync(WebSocketRequest.Json("POST", Sessions, new CreateSessionBody(number), Json.CreateSessionBody), cancellationToken);

    public Task<VerificationSession> GetSessionAsync(string sessionId, CancellationToken cancellationToken = default) =>
        SessionCallAsync(WebSocketRequest.Get($"{Sessions}/{Uri.EscapeDataString(sessionId)}"), cancellationToken);

    public Task<VerificationSession> SubmitCaptchaAsync(string sessionId, string captcha, CancellationToken cancellationToken = default) =>
        SessionCallAsync(WebSocketRequest.Json("PATCH", $"{Sessions}/{Uri.EscapeDataString(sessionId)}", new CaptchaBody(captcha), Json.CaptchaBody), cancellationToken);

    /// <param name="transport"><c>sms</c> or <c>voice</c>.</param>
    public Task<VerificationSession> RequestCodeAsync(string sessionId, string transport = "sms", CancellationToken cancellationToken = default) =>
        SessionCallAsync(WebSocketRequest.Json("POST", $"{Sessions}/{Uri.EscapeDataString(sessionId)}/code", new RequestCodeBody(transport, "android"), Json.RequestCodeBody), cancellationToken);

    /// <summary>Checks the code; a wrong code is not an error, the session just stays unverified.</summary>
    public Task<VerificationSession> SubmitCodeAsync(string sessionId, string code, CancellationToken cancellationToken = default) =>
        SessionCallAsync(WebSocketRequest.Json("PUT", $"{Sessions}/{Uri.EscapeDataString(sessionId)}/code", new SubmitCodeBody(code), Json.SubmitCodeBody), cancellationToken);

    /// <summary>Creates the account; <paramref name="password"/> becomes the login password of device 1.</summary>
    public async Task<RegisterAccountResponse> RegisterAsync(string number, string password, RegisterAccountRequest body, CancellationToken cancellationToken = default)
    {
        // This header authenticates only this request: the mock exempts the route from socket-wide login.
        var authorization = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{number}:{password}"));
        var request = WebSocketRequest.Json("POST", "/v1/registration", body, Json.RegisterAccountRequest).WithHeader("authorization", authorization);
        var response = await Connection.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return Read(response, "POST /v1/registration", Json.RegisterAccountResponse);
    }

    private async Task<VerificationSession> SessionCallAsync(WebSocketRequest request, CancellationToken cancellationToken)
    {
        var response = await Connection.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return Read(response, $"{request.Verb} {request.Path}", Json.VerificationSession);
    }

    private static T Read<T>(WebSocketResponse response, string route, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        if (!response.IsSuccess)
        {
            var detail = response.Body.IsEmpty ? null : response.BodyText.Split('\n', 2)[0];
            throw new UnexpectedResponseException(route, response.Status, detail);
        }

        return response.ReadJson(typeInfo) ?? throw new ServiceProtocolException($"{route}: empty JSON answer");
    }
}
