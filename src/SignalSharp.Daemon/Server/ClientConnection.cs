using System.Buffers;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using SignalSharp.Account.Api;
using SignalSharp.Daemon.Commands;
using SignalSharp.Daemon.Framing;
using SignalSharp.Daemon.Json;
using SignalSharp.Service.Transport;

namespace SignalSharp.Daemon.Server;

/// <summary>
/// One client: reads bytes, frames commands and answers them strictly in order, one at a time. Responses of
/// commands that need no waiting are batched and written together once the bytes at hand are used up, which is
/// what makes a pipelining client fast; before any wait on the account the batch is flushed, so no answer sits
/// behind a slow command. Half-close is honoured: after the client's end of input every pending command is still
/// answered before the socket closes (as `echo … | socat` expects).
/// </summary>
internal sealed class ClientConnection : ICommandConnection
{
    private const int ReceiveChunk = 16 * 1024;

    private readonly long id;
    private readonly Socket socket;
    private readonly ILogger logger;
    private readonly CommandFramer framer;
    private readonly CommandProcessor processor;
    private readonly ClientAuthenticator? authenticator;
    private readonly IProtocolHandOff? handOff;
    // An output buffer grown past this by one big answer is dropped once sent, not kept for the connection's life.
    private const int TrimOutputAbove = 1 << 20;

    // How long a client whose input ended has to take an answer carrying items before they go back (in doubt, a
    // repeat beats a loss); a live peer's kernel acknowledges within a round trip.
    private static readonly TimeSpan AnswerTakeWait = TimeSpan.FromSeconds(5);

    // Grows on the first answer: an idle connection that never asked for anything holds no output buffer.
    private ArrayBufferWriter<byte> output = new();

    // Until the first object (or a leading '[') is seen, the connection may still belong to the hand-off's protocol.
    private bool protocolDecided;
    private byte[]? handedOff;

    public ClientConnection(long id, Socket socket, ISignalAccount account, DaemonOptions options, CommandBufferBudget bufferBudget, ILogger logger, IProtocolHandOff? handOff = null)
    {
        this.id = id;
        this.socket = socket;
        this.logger = logger;
        this.handOff = handOff;
        protocolDecided = handOff is null;
        framer = new CommandFramer(options.MaxCommandSize, bufferBudget);
        processor = new CommandProcessor(account, logger);
        authenticator = options.AuthToken is { } token ? new ClientAuthenticator(token) : null;
        socket.NoDelay = true;
    }

    public IBufferWriter<byte> Output => output;

    public IResetWatch WatchForReset(CancellationTokenSource onReset) => new PeerResetWatch(socket, onReset);

    public ValueTask<bool> AnswerTakenAsync(CancellationToken cancellationToken) => PeerReceipt.AnswerTakenAsync(socket, AnswerTakeWait, cancellationToken);

    public async Task RunAsync(CancellationToken stopping, CancellationToken abort)
    {
        ServerLog.ConnectionOpened(logger, id, socket.RemoteEndPoint);
        try
        {
            await ServeAsync(stopping, abort).ConfigureAwait(false);
            if (handedOff is not null)
            {
                ServerLog.ConnectionHandedOff(logger, id);
                await handOff!.ServeAsync(socket, handedOff, stopping).ConfigureAwait(false);
            }

            ServerLog.ConnectionClosed(logger, id);
        }
        catch (Exception e) when (e is ClientGoneException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            var cause = e is ClientGoneException { InnerException: { } inner } ? inner : e;
            ServerLog.ConnectionLost(logger, id, cause is SocketException s ? s.SocketErrorCode.ToString() : cause.GetType().Name);
        }
        finally
        {
            socket.Dispose();
            framer.Dispose();
        }
    }

    private async Task ServeAsync(CancellationToken stopping, CancellationToken abort)
    {
        while (true)
        {
            if (!await AnswerFramedAsync(stopping, abort).ConfigureAwait(false))
            {
                return;
            }

            if (stopping.IsCancellationRequested)
            {
                break;
            }

            await FlushAsync(abort).ConfigureAwait(false);
            TrimOutput();
            int received;
            try
            {
                if (framer.IsEmpty)
                {
                    // Idle between commands: wait for input without holding a buffer (a zero-byte read completes
                    // when bytes arrive or the input ends), so thousands of quiet clients cost little memory.
                    framer.ReleaseIdleBuffer();
                    await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, stopping).ConfigureAwait(false);
                }

                received = await socket.ReceiveAsync(framer.GetReceiveBuffer(ReceiveChunk), SocketFlags.None, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }

            if (received == 0)
            {
                if (framer.Complete(out var error) == FrameKind.Invalid)
                {
                    processor.WriteInvalid(output, error!);
                }

                await FlushAsync(abort).ConfigureAwait(false);
                socket.Shutdown(SocketShutdown.Both);
                return;
            }

            framer.Advance(received);
        }

        // Stopping: commands already read but not started are refused (-1), so each still gets its one answer.
        while (framer.TryRead(out var pending, out var pendingError) is var kind and not (FrameKind.NeedMoreData or FrameKind.TooLarge))
        {
            if (kind == FrameKind.Command)
            {
                processor.WriteShuttingDown(output, pending, framer.LastCommandIsRelaxed);
            }
            else
            {
                processor.WriteInvalid(output, pendingError!);
            }
        }

        // The answers still go out, but a client that does not read cannot hold the shutdown up.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await FlushAsync(deadline.Token).ConfigureAwait(false);
        socket.Shutdown(SocketShutdown.Both);
    }

    /// <summary>Answers every complete command in the buffer; false when the connection must close.</summary>
    private async ValueTask<bool> AnswerFramedAsync(CancellationToken stopping, CancellationToken abort)
    {
        if (!protocolDecided)
        {
            switch (framer.FirstSignificantByte())
            {
                case null:
                    return true;
                case (byte)'[' when authenticator is not { Authenticated: false }:
                    handedOff = framer.Unconsumed.ToArray();
                    return false;
                case not (byte)'{':
                    protocolDecided = true;
                    break;
            }
        }

        while (!stopping.IsCancellationRequested)
        {
            switch (framer.TryRead(out var command, out var error))
            {
                case FrameKind.NeedMoreData:
                    return true;

                case FrameKind.Command when authenticator is { Authenticated: false }:
                    var outcome = authenticator.Check(command, framer.LastCommandIsRelaxed, output);
                    if (outcome == AuthOutcome.Refused)
                    {
                        await RefuseAsync(abort).ConfigureAwait(false);
                        return false;
                    }

                    if (outcome == AuthOutcome.Proceed && !await DispatchAsync(command, stopping, abort).ConfigureAwait(false))
                    {
                        return false;
                    }

                    break;

                case FrameKind.Command when !protocolDecided:
                    if (!await DispatchAsync(command, stopping, abort).ConfigureAwait(false))
                    {
                        return false;
                    }

                    break;

                case FrameKind.Command:
                    await processor.ProcessAsync(command, framer.LastCommandIsRelaxed, this, stopping, abort).ConfigureAwait(false);
                    break;

                case FrameKind.Invalid when authenticator is { Authenticated: false }:
                    authenticator.Refuse(output);
                    await RefuseAsync(abort).ConfigureAwait(false);
                    return false;

                case FrameKind.Invalid:
                    processor.WriteInvalid(output, error!);
                    break;

                case FrameKind.TooLarge:
                    ServerLog.CommandTooLarge(logger, id);
                    processor.WriteFailure(output, error!);
                    await FlushAsync(abort).ConfigureAwait(false);
                    await CloseAfterErrorAsync().ConfigureAwait(false);
                    return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Carries a command out, or, while the connection's protocol is undecided, hands the connection over when the
    /// object belongs to the other protocol; false when it was handed over.
    /// </summary>
    private async ValueTask<bool> DispatchAsync(ReadOnlyMemory<byte> command, CancellationToken stopping, CancellationToken abort)
    {
        if (!protocolDecided)
        {
            protocolDecided = true;
            if (handOff!.Claims(command.Span))
            {
                handedOff = [.. command.Span, .. framer.Unconsumed.Span];
                return false;
            }
        }

        await processor.ProcessAsync(command, framer.LastCommandIsRelaxed, this, stopping, abort).ConfigureAwait(false);
        return true;
    }

    /// <summary>An unauthenticated client: the commands it already sent are refused too, then the connection closes.</summary>
    private async Task RefuseAsync(CancellationToken abort)
    {
        ServerLog.ClientNotAuthenticated(logger, id);
        while (framer.TryRead(out var pending, out _) is var kind and not (FrameKind.NeedMoreData or FrameKind.TooLarge))
        {
            if (kind == FrameKind.Command)
            {
                authenticator!.Refuse(pending, framer.LastCommandIsRelaxed, output);
            }
            else
            {
                authenticator!.Refuse(output);
            }
        }

        await FlushAsync(abort).ConfigureAwait(false);
        await CloseAfterErrorAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Closing a socket with unread input makes the kernel send a reset, which can destroy the error response
    /// before the client reads it; so end our side first and discard what the client still sends, for a while.
    /// </summary>
    private async Task CloseAfterErrorAsync()
    {
        socket.Shutdown(SocketShutdown.Send);
        using var drainTime = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var scratch = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (await socket.ReceiveAsync(scratch, SocketFlags.None, drainTime.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        var pending = output.WrittenMemory;
        try
        {
            while (!pending.IsEmpty)
            {
                var sent = await socket.SendAsync(pending, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                pending = pending[sent..];
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            throw new ClientGoneException(e);
        }

        output.ResetWrittenCount();
    }

    /// <summary>Between commands only: a response writer in the middle of an answer holds the current buffer.</summary>
    private void TrimOutput()
    {
        if (output.Capacity > TrimOutputAbove && output.WrittenCount == 0)
        {
            output = new ArrayBufferWriter<byte>();
        }
    }
}
