using Google.Protobuf;
using SignalSharp.Service.Http;
using SignalSharp.Service.Profiles;
using SignalSharp.Service.Proto;

namespace SignalSharp.Service.Api;

/// <summary>The server's answer to a multi-recipient sealed send.</summary>
public abstract record MultiRecipientOutcome
{
    /// <summary>Delivered; <see cref="Unresolved"/> lists the recipients the server does not know (unregistered).</summary>
    public sealed record Sent(IReadOnlyList<Guid> Unresolved) : MultiRecipientOutcome;

    /// <summary>Nothing was delivered: these recipients' device lists differ from the server's.</summary>
    public sealed record Mismatched(IReadOnlyList<RecipientDeviceMismatch> Recipients) : MultiRecipientOutcome;

    /// <summary>Nothing was delivered: the group send token (or access keys) did not authorise the send.</summary>
    public sealed record Unauthorized(string Description) : MultiRecipientOutcome;
}

/// <summary>One recipient's device mismatch: devices to add (missing), drop (extra) or re-key (stale).</summary>
public sealed record RecipientDeviceMismatch(Guid ServiceId, IReadOnlyList<uint> Missing, IReadOnlyList<uint> Extra, IReadOnlyList<uint> Stale);

/// <summary>
/// The multi-recipient sealed send (one sealed-sender v2 payload for every device of every recipient, the server
/// splitting it), which Signal's servers offer over gRPC on the unauthenticated service:
/// <c>org.signal.chat.messages.MessagesAnonymous/SendMultiRecipientMessage</c>.
/// </summary>
public sealed class MultiRecipientApi : IDisposable
{
    private const string Method = "org.signal.chat.messages.MessagesAnonymous/SendMultiRecipientMessage";
    private readonly GrpcUnaryClient grpc;

    public MultiRecipientApi(ServerProfile profile) => grpc = new GrpcUnaryClient(profile);

    /// <summary>Sends <paramref name="payload"/> (a serialized SealedSenderMultiRecipientMessage) authorised by a group send token.</summary>
    public async Task<MultiRecipientOutcome> SendAsync(ReadOnlyMemory<byte> payload, ulong timestamp, ReadOnlyMemory<byte> groupSendToken, bool urgent = true,
        CancellationToken cancellationToken = default)
    {
        var request = new SendMultiRecipientMessageRequest
        {
            Urgent = urgent,
            Message = new MultiRecipientMessage { Timestamp = timestamp, Payload = ByteString.CopyFrom(payload.Span) },
            GroupSendToken = ByteString.CopyFrom(groupSendToken.Span),
        };
        var response = await grpc.CallAsync(Method, request, SendMultiRecipientMessageResponse.Parser, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.ResponseCase switch
        {
            SendMultiRecipientMessageResponse.ResponseOneofCase.Success =>
                new MultiRecipientOutcome.Sent([.. response.Success.UnresolvedRecipients.Select(ToGuid)]),
            SendMultiRecipientMessageResponse.ResponseOneofCase.MismatchedDevices =>
                new MultiRecipientOutcome.Mismatched([.. response.MismatchedDevices.MismatchedDevices.Select(m =>
                    new RecipientDeviceMismatch(ToGuid(m.ServiceIdentifier), [.. m.MissingDevices], [.. m.ExtraDevices], [.. m.StaleDevices]))]),
            SendMultiRecipientMessageResponse.ResponseOneofCase.FailedUnidentifiedAuthorization =>
                new MultiRecipientOutcome.Unauthorized(response.FailedUnidentifiedAuthorization.Description),
            _ => throw new ServiceProtocolException("multi-recipient send: the answer carries no outcome"),
        };
    }

    private static Guid ToGuid(ServiceIdentifier? id) => id is { Uuid.Length: 16 }
        ? new Guid(id.Uuid.Span, bigEndian: true)
        : throw new ServiceProtocolException("multi-recipient send: a service identifier is not 16 bytes");

    public void Dispose() => grpc.Dispose();
}
