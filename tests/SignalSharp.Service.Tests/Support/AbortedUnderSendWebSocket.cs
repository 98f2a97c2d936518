using System.Net.WebSockets;

namespace SignalSharp.Service.Tests.Support;

/// <summary>
/// A socket the peer cut right after it opened, caught at the moment .NET's ManagedWebSocket shows it: the read
/// fails, and a send made while the socket is being aborted throws <see cref="OperationCanceledException"/>
/// although no token was cancelled. The read fails only after the first send, so that order is certain.
/// </summary>
internal sealed class AbortedUnderSendWebSocket : WebSocket
{
    private readonly TaskCompletionSource sendAttempted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebSocketState state = WebSocketState.Open;

    public override WebSocketCloseStatus? CloseStatus => null;

    public override string? CloseStatusDescription => null;

    public override WebSocketState State => state;

    public override string? SubProtocol => null;

    public override void Abort() => state = WebSocketState.Aborted;

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Dispose() => state = WebSocketState.Closed;

    public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        await sendAttempted.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        state = WebSocketState.Aborted;
        throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely);
    }

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        state = WebSocketState.Aborted;
        sendAttempted.TrySetResult();
        return Task.FromException(new OperationCanceledException("Aborted"));
    }
}
