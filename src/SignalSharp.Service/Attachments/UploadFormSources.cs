using SignalSharp.Service.Api;
using SignalSharp.Service.Http;
using SignalSharp.Service.Profiles;
using SignalSharp.Service.Proto;
using SignalSharp.Service.Transport;

namespace SignalSharp.Service.Attachments;

/// <summary>The form as Signal's clients ask for it: <c>GET /v4/attachments/form/upload</c> on the authenticated socket.</summary>
public sealed class SocketUploadFormSource(ChatApi api) : IUploadFormSource
{
    public Task<AttachmentUploadForm> GetAsync(long uploadLength, CancellationToken cancellationToken) =>
        api.GetUploadFormAsync(uploadLength, cancellationToken);
}

/// <summary>
/// The form over gRPC (<c>Attachments/GetUploadForm</c>): only for servers that offer it (the mock serves the form
/// nowhere else; production allows gRPC per method and by default denies it).
/// </summary>
public sealed class GrpcUploadFormSource(ServerProfile profile, ChatCredentials? credentials = null) : IUploadFormSource, IDisposable
{
    private readonly GrpcUnaryClient grpc = new(profile);

    public async Task<AttachmentUploadForm> GetAsync(long uploadLength, CancellationToken cancellationToken)
    {
        var response = await grpc.CallAsync(
            GrpcMethods.GetUploadForm, new GetUploadFormRequest { UploadLength = (ulong)uploadLength }, GetUploadFormResponse.Parser, credentials,
            cancellationToken).ConfigureAwait(false);
        return response.OutcomeCase switch
        {
            GetUploadFormResponse.OutcomeOneofCase.UploadForm => new AttachmentUploadForm(
                (int)response.UploadForm.Cdn, response.UploadForm.Key, new Dictionary<string, string>(response.UploadForm.Headers),
                response.UploadForm.SignedUploadLocation),
            GetUploadFormResponse.OutcomeOneofCase.ExceedsMaxUploadLength =>
                throw new AttachmentTransferException($"the server refuses uploads of {uploadLength} bytes", 413),
            _ => throw new ServiceProtocolException("GetUploadForm answered with neither a form nor a refusal"),
        };
    }

    public void Dispose() => grpc.Dispose();
}

/// <summary>The profile's choice: the socket, or gRPC first where the profile opts in (falling back to the socket).</summary>
public static class UploadFormSources
{
    public static IUploadFormSource For(ServerProfile profile, ChatApi api, ChatCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var socket = new SocketUploadFormSource(api);
        return profile.UsesGrpc(GrpcMethods.GetUploadForm) ? new FirstThen(new GrpcUploadFormSource(profile, credentials), socket) : socket;
    }

    private sealed class FirstThen(GrpcUploadFormSource grpc, IUploadFormSource fallback) : IUploadFormSource, IDisposable
    {
        public async Task<AttachmentUploadForm> GetAsync(long uploadLength, CancellationToken cancellationToken)
        {
            try
            {
                return await grpc.GetAsync(uploadLength, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is GrpcCallException or ServiceConnectionException)
            {
                return await fallback.GetAsync(uploadLength, cancellationToken).ConfigureAwait(false);
            }
        }

        public void Dispose() => grpc.Dispose();
    }
}
