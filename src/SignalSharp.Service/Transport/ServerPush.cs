using System.Runtime.CompilerServices;

namespace SignalSharp.Service.Transport;

/// <summary>Something the server pushed over the authenticated chat socket.</summary>
public abstract record ServerPush;

/// <summary>
/// A message for us. <see cref="AckAsync"/> tells the server it may forget it; call it only once the envelope is
/// stored, because until then the server delivers it again on the next connection.
/// </summary>
public sealed record EnvelopeDelivery(ReceivedEnvelope Envelope, IncomingRequest Request) : ServerPush
{
    public ValueTask<bool> AckAsync(CancellationToken cancellationToken = default) => Request.RespondAsync(200, cancellationToken);

    /// <summary>Declines it for now: the server keeps it and tries again on the next connection.</summary>
    public ValueTask<bool> RejectAsync(CancellationToken cancellationToken = default) => Request.RespondAsync(500, cancellationToken);
}

/// <summary>A push to <c>/api/v1/message</c> that is not a valid Envelope. Ack it to drop it, or it comes back forever.</summary>
public sealed record MalformedDelivery(ReadOnlyMemory<byte> Body, string Reason, IncomingRequest Request) : ServerPush
{
    public ValueTask<bool> AckAsync(CancellationToken cancellationToken = default) => Request.RespondAsync(200, cancellationToken);
}

/// <summary>Everything queued while we were offline has been delivered (already answered).</summary>
public sealed record QueueEmpty : ServerPush;

public static class ServerPushes
{
    /// <summary>
    /// Turns the chat socket's server requests into <see cref="ServerPush"/>es, across reconnects, until the
    /// connection stops. Queue-empty notices are answered at once; requests for anything else get 404.
    /// </summary>
    public static async IAsyncEnumerable<ServerPush> ReadPushesAsync(this ChatConnection chat, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var request in chat.IncomingRequests.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await ToPushAsync(request, cancellationToken).ConfigureAwait(false) is { } push)
            {
                yield return push;
            }
        }
    }

    /// <summary>
    /// Like <see cref="ReadPushesAsync"/>, but hands out what is already waiting together, up to
    /// <paramref name="maxBatch"/> at a time: a receiver can then store a burst in one transaction. It never waits
    /// to fill a batch, so a lone message is handed out at once.
    /// </summary>
    public static async IAsyncEnumerable<IReadOnlyList<ServerPush>> ReadPushBatchesAsync(this ChatConnection chat, int maxBatch,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatch);
        var reader = chat.IncomingRequests;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var batch = new List<ServerPush>();
            while (batch.Count < maxBatch && reader.TryRead(out var request))
            {
                if (await ToPushAsync(request, cancellationToken).ConfigureAwait(false) is { } push)
                {
                    batch.Add(push);
                }
            }

            if (batch.Count > 0)
            {
                yield return batch;
            }
        }
    }

    private static async ValueTask<ServerPush?> ToPushAsync(IncomingRequest request, CancellationToken cancellationToken)
    {
        switch (request.Verb, request.Path)
        {
            case ("PUT", "/api/v1/message"):
                try
                {
                    return new EnvelopeDelivery(ReceivedEnvelope.Parse(request.Body.Span), request);
                }
                catch (ServiceProtocolException e)
                {
                    return new MalformedDelivery(request.Body, e.Message, request);
                }

            case ("PUT", "/api/v1/queue/empty"):
                await request.RespondAsync(200, cancellationToken).ConfigureAwait(false);
                return new QueueEmpty();
            default:
                await request.RespondAsync(404, cancellationToken).ConfigureAwait(false);
                return null;
        }
    }
}
