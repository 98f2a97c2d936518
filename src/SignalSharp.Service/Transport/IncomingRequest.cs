namespace SignalSharp.Service.Transport;

/// <summary>
/// A request the server sent to us (an envelope in <c>PUT /api/v1/message</c>, <c>PUT /api/v1/queue/empty</c>,
/// the provisioning address, …). The consumer answers it when it is done with it: for envelopes a 200 is the
/// acknowledgement, so it must come only after the envelope is stored; anything else makes the server queue it again.
/// </summary>
public sealed class IncomingRequest
{
    private readonly WebSocketConnection connection;
    private int answered;

    internal IncomingRequest(WebSocketConnection connection, ulong id, string verb, string path, IReadOnlyList<string> headers, ReadOnlyMemory<byte> body)
    {
        this.connection = connection;
        Id = id;
        Verb = verb;
        Path = path;
        Headers = headers;
        Body = body;
    }

    public ulong Id { get; }

    public string Verb { get; }

    public string Path { get; }

    public IReadOnlyList<string> Headers { get; }

    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>True once a response was sent (or attempted).</summary>
    public bool IsAnswered => Volatile.Read(ref answered) != 0;

    public string? Header(string name) => HeaderLines.Find(Headers, name);

    /// <summary>
    /// Sends the response on the socket the request came from. Only the first call sends. Returns false when that
    /// socket is gone: the server then still holds the message and delivers it again on the next connection.
    /// </summary>
    public async ValueTask<bool> RespondAsync(int status, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref answered, 1) != 0)
        {
            return false;
        }

        return await connection.TrySendResponseAsync(Id, status, cancellationToken).ConfigureAwait(false);
    }
}
