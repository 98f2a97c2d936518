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
/// splitting it), authorised by a group send token. Sent as Signal's clients send it,
/// <c>PUT /v1/messages/multi_recipient</c> on the unauthenticated socket; over gRPC
/// (<c>MessagesAnonymous/SendMultiRecipientMessage</c>) first only where the profile names that method (the mock
/// serves the send only there), falling back to the socket when gRPC fails.
/// </summary>
public sealed class MultiRecipientApi(ServerProfile profile, Func<CancellationToken, Task<ChatApi>> unauthenticated) : IDisposable
{
    private readonly GrpcUnaryClient? grpc = profile.UsesGrpc(GrpcMethods.SendMultiRecipientMessage) ? new GrpcUnaryClient(profile) : null;

    /// <summary>Sends <paramref name="payload"/> (a serialized SealedSenderMultiRecipientMessage) authorised by a group send token.</summary>
    /// <remarks>Without a token nothing goes over the socket (the server refuses an empty one): the answer is <see cref="MultiRecipientOutcome.Unauthorized"/>.</remarks>
    public async Task<MultiRecipientOutcome> SendAsync(ReadOnlyMemory<byte> payload, ulong timestamp, ReadOnlyMemory<byte> groupSendToken, bool urgent = true,
        CancellationToken cancellationToken = default)
    {
        // Only a profile that names the gRPC method (the mock, whose tests build groups without endorsements) is
        // asked without a token; the socket route, production's, never sends an empty one.
        if (grpc is not null)
        {
            try
            {
                return await SendGrpcAsync(payload, timestamp, groupSendToken, urgent, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is GrpcCallException or ServiceConnectionException)
            {
                // The server does not serve it there after all: the socket route below.
            }
        }

        if (groupSendToken.IsEmpty)
        {
            return new MultiRecipientOutcome.Unauthorized("no group send token for these recipients");
        }

        var api = await unauthenticated(cancellationToken).ConfigureAwait(false);
        return await api.SendMultiRecipientAsync(payload, timestamp, groupSendToken, urgent, cancellationToken).ConfigureAwait(false);
    }

    private async Task<MultiRecipientOutcome> SendGrpcAsync(ReadOnlyMemory<byte> payload, ulong timestamp, ReadOnlyMemory<byte> groupSendToken, bool urgent,
        CancellationToken cancellationToken)
    {
        var request = new SendMultiRecipientMessageRequest
        {
            Urgent = urgent,
            Message = new MultiRecipientMessage { Timestamp = timestamp, Payload = ByteString.CopyFrom(payload.Span) },
            GroupSendToken = ByteString.CopyFrom(groupSendToken.Span),
        };
        var response = await grpc!.CallAsync(GrpcMethods.SendMultiRecipientMessage, request, SendMultiRecipientMessageResponse.Parser, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
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

    public void Dispose() => grpc?.Dispose();
}
