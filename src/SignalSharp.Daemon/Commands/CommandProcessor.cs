using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Extensions.Logging;
using SignalSharp.Account.Api;
using SignalSharp.Daemon.Json;

namespace SignalSharp.Daemon.Commands;

/// <summary>
/// One connection's command pipeline after framing: relaxed JSON to strict, parse, validate, call the account,
/// write exactly one response. Holds per-connection scratch buffers, so one instance per connection.
/// </summary>
internal sealed class CommandProcessor(ISignalAccount account, ILogger logger)
{
    private static readonly JsonDocumentOptions ParseOptions = new() { AllowTrailingCommas = true, MaxDepth = 64 };

    private ArrayBufferWriter<byte> strict = new();
    private readonly ResponseWriter responses = new();
    private readonly LargeBase64Values largeValues = new();

    public void WriteInvalid(IBufferWriter<byte> output, string message) =>
        responses.WriteError(output, null, null, StatusCode.InvalidJson, message);

    public void WriteFailure(IBufferWriter<byte> output, string message) =>
        responses.WriteError(output, null, null, StatusCode.Unknown, message);

    /// <summary>The answer to a command that arrived but will not be carried out because the daemon stops.</summary>
    public void WriteShuttingDown(IBufferWriter<byte> output, ReadOnlyMemory<byte> raw, bool relaxed)
    {
        var input = relaxed ? ToStrict(raw) : raw;
        try
        {
            using var document = JsonDocument.Parse(input, ParseOptions);
            var root = document.RootElement;
            JsonElement? command = root.TryGetProperty("command"u8, out var c) ? c : null;
            JsonElement? reqId = root.TryGetProperty("reqId"u8, out var r) ? r : null;
            responses.WriteError(output, command, reqId, StatusCode.Unknown, "not carried out: the daemon is shutting down");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            WriteInvalid(output, "invalid JSON");
        }
    }

    private ReadOnlyMemory<byte> ToStrict(ReadOnlyMemory<byte> raw)
    {
        strict.ResetWrittenCount();
        RelaxedJson.ToStrict(raw.Span, strict);
        return strict.WrittenMemory;
    }

    /// <param name="stopping">The daemon is shutting down: a waiting receive_messages returns what it has.</param>
    /// <param name="abort">The shutdown grace period is over: account calls are cancelled.</param>
    public async ValueTask ProcessAsync(ReadOnlyMemory<byte> raw, bool relaxed, ICommandConnection sink, CancellationToken stopping, CancellationToken abort)
    {
        var input = relaxed ? ToStrict(raw) : raw;

        // The parser does not check UTF-8 inside strings until they are read; check it once, up front.
        if (!Utf8.IsValid(input.Span))
        {
            WriteInvalid(sink.Output, "invalid JSON: the text is not valid UTF-8");
            return;
        }

        try
        {
            await ProcessValidAsync(largeValues.Extract(input), sink, stopping, abort).ConfigureAwait(false);
        }
        finally
        {
            largeValues.Clear();

            // A big relaxed command's strict copy is not kept for the rest of the connection.
            if (strict.Capacity > LargeBase64Values.CommandThreshold)
            {
                strict = new ArrayBufferWriter<byte>(1024);
            }
        }
    }

    private async ValueTask ProcessValidAsync(ReadOnlyMemory<byte> input, ICommandConnection sink, CancellationToken stopping, CancellationToken abort)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(input, ParseOptions);
        }
        catch (JsonException e)
        {
            WriteInvalid(sink.Output, $"invalid JSON: {Describe(e)}");
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (LoneSurrogates.AreIn(input.Span))
            {
                WriteLoneSurrogate(sink.Output, root);
                return;
            }

            JsonElement? commandElement = root.TryGetProperty("command"u8, out var c) ? c : null;
            JsonElement? reqId = root.TryGetProperty("reqId"u8, out var r) ? r : null;
            DaemonCommand? command;
            CommandFault fault;
            try
            {
                CommandParser.TryParse(root, out command, out fault, largeValues);
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException)
            {
                // A defect in validation must cost one answer, not the connection.
                command = null;
                fault = new CommandFault(StatusCode.Unknown, $"cannot read the request: {e.Message}");
            }

            if (command is null)
            {
                CommandLog.CommandRefused(logger, (int)fault.Status);
                responses.WriteError(sink.Output, commandElement, reqId, fault.Status, fault.Message);
                return;
            }

            try
            {
                await ExecuteAsync(command, reqId, sink, stopping, abort).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not ClientGoneException)
            {
                // Whatever the account throws, the command gets its one answer.
                var (status, message) = StatusMapping.FromException(e, abort.IsCancellationRequested);
                if (status == StatusCode.Unknown)
                {
                    CommandLog.CommandFailed(logger, command.Name, (int)status, e.GetType().Name);
                }
                else
                {
                    CommandLog.CommandRefusedByAccount(logger, command.Name, (int)status);
                }

                responses.WriteError(sink.Output, commandElement, reqId, status, message);
            }
        }
    }

    private async Task ExecuteAsync(DaemonCommand command, JsonElement? reqId, ICommandConnection sink, CancellationToken stopping, CancellationToken abort)
    {
        switch (command)
        {
            case SendMessageCommand send:
            {
                var result = await WhenDoneAsync(account.SendMessageAsync(send.Target, send.Message, abort), sink, abort).ConfigureAwait(false);
                responses.WriteSent(sink.Output, send.Name, reqId, result);
                break;
            }

            case SendReactionCommand react:
            {
                var result = await WhenDoneAsync(account.SendReactionAsync(react.Target, react.Reaction, abort), sink, abort).ConfigureAwait(false);
                responses.WriteSent(sink.Output, react.Name, reqId, result);
                break;
            }

            case RemoteDeleteCommand delete:
                responses.WriteSent(sink.Output, delete.Name, reqId,
                    await WhenDoneAsync(account.SendRemoteDeleteAsync(delete.Target, delete.TargetTimestamp, abort), sink, abort).ConfigureAwait(false));
                break;

            case PollCommand poll:
            {
                var message = new OutgoingMessage(null, []) { Poll = poll.Poll };
                responses.WriteSent(sink.Output, poll.Name, reqId,
                    await WhenDoneAsync(account.SendMessageAsync(poll.Target, message, abort), sink, abort).ConfigureAwait(false));
                break;
            }

            case TypingCommand typing:
                responses.WriteSent(sink.Output, typing.Name, reqId,
                    await WhenDoneAsync(account.SendTypingAsync(typing.Target, typing.Started, abort), sink, abort).ConfigureAwait(false));
                break;

            case ReceiptCommand receipt:
                responses.WriteSent(sink.Output, receipt.Name, reqId,
                    await WhenDoneAsync(account.SendReceiptAsync(receipt.Recipient, receipt.Kind, receipt.Timestamps, abort), sink, abort).ConfigureAwait(false));
                break;

            case ExpirationTimerCommand timer:
                responses.WriteSent(sink.Output, timer.Name, reqId,
                    await WhenDoneAsync(account.SetExpirationTimerAsync(timer.Target, timer.Seconds, abort), sink, abort).ConfigureAwait(false));
                break;

            case TrustCommand trust:
            {
                var entry = await WhenDoneAsync(account.TrustAsync(trust.Recipient, trust.Request, abort), sink, abort).ConfigureAwait(false);
                responses.WriteIdentities(sink.Output, trust.Name, reqId, [entry], single: true);
                break;
            }

            case ListIdentitiesCommand list:
            {
                var entries = await WhenDoneAsync(account.ListIdentitiesAsync(list.Recipient, abort), sink, abort).ConfigureAwait(false);
                responses.WriteIdentities(sink.Output, list.Name, reqId, entries, single: false);
                break;
            }

            case ReceiveMessagesCommand receive:
            {
                var batch = await ReceiveAsync(receive.Request, sink, stopping, abort).ConfigureAwait(false);
                await using (batch.ConfigureAwait(false))
                {
                    await responses.WriteReceivedAsync(sink, reqId, batch.Items, receive.Request.IgnoreAttachments, abort).ConfigureAwait(false);
                    if (batch.Items.Count > 0)
                    {
                        // The items are handed out only once the reply carrying them has left. If the client is
                        // gone, the flush throws and disposing the batch puts them back for the next caller.
                        await sink.FlushAsync(abort).ConfigureAwait(false);
                        if (!await sink.AnswerTakenAsync(abort).ConfigureAwait(false))
                        {
                            // A client that closed its socket (FIN) looks like a half-closed one until its kernel
                            // refuses the bytes: without proof that they were taken, the items go back.
                            CommandLog.AnswerNotTaken(logger, batch.Items.Count);
                            throw new ClientGoneException();
                        }

                        await ConfirmAsync(batch).ConfigureAwait(false);
                    }
                }

                break;
            }
        }
    }

    /// <summary>
    /// Awaits an account call; when it has to wait, the responses collected so far go out first, so no earlier
    /// answer sits behind a slow command. A call that completes at once costs no extra write.
    /// </summary>
    private static async Task<T> WhenDoneAsync<T>(Task<T> call, IResponseSink sink, CancellationToken abort)
    {
        if (!call.IsCompleted)
        {
            await sink.FlushAsync(abort).ConfigureAwait(false);
        }

        return await call.ConfigureAwait(false);
    }

    /// <summary>
    /// Calls the account's receive. When it has to wait, the responses collected so far go out first and the
    /// socket is watched: a client that resets the connection ends the wait, so no items are leased for it.
    /// </summary>
    private async Task<ReceivedBatch> ReceiveAsync(ReceiveRequest request, ICommandConnection sink, CancellationToken stopping, CancellationToken abort)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping, abort);
        var call = account.ReceiveAsync(request, cancel.Token);
        if (call.IsCompleted)
        {
            return await call.ConfigureAwait(false);
        }

        try
        {
            await sink.FlushAsync(abort).ConfigureAwait(false);
        }
        catch (ClientGoneException)
        {
            await cancel.CancelAsync().ConfigureAwait(false);
            await AbandonAsync(call).ConfigureAwait(false);
            throw;
        }

        var watch = sink.WatchForReset(cancel);
        try
        {
            return await call.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (watch.ResetSeen && !abort.IsCancellationRequested)
        {
            throw new ClientGoneException();
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested && !abort.IsCancellationRequested)
        {
            // Shutting down: end the wait early. A cancelled receive holds nothing, so an empty list is the truth.
            return ReceivedBatch.Empty;
        }
        finally
        {
            await watch.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Waits out a cancelled receive whose caller is gone; whatever it still leased goes back.</summary>
    private async Task AbandonAsync(Task<ReceivedBatch> call)
    {
        try
        {
            await (await call.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            CommandLog.AbandonedReceiveFailed(logger, e.GetType().Name);
        }
    }

    /// <summary>A failed confirmation must not become a second answer: the client already has its items.</summary>
    private async Task ConfirmAsync(ReceivedBatch batch)
    {
        try
        {
            await batch.ConfirmAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            CommandLog.ConfirmFailed(logger, batch.Items.Count, e);
        }
    }

    /// <summary>INVALID_JSON, echoing command and reqId when they are clean and can be looked up at all.</summary>
    private void WriteLoneSurrogate(IBufferWriter<byte> output, JsonElement root)
    {
        JsonElement? command = null;
        JsonElement? reqId = null;
        try
        {
            command = Echoable(root.TryGetProperty("command"u8, out var c) ? c : null);
            reqId = Echoable(root.TryGetProperty("reqId"u8, out var r) ? r : null);
        }
        catch (InvalidOperationException)
        {
            // A field name holds the lone surrogate: names cannot be compared, so nothing is echoed.
        }

        CommandLog.CommandRefused(logger, (int)StatusCode.InvalidJson);
        responses.WriteError(output, command, reqId, StatusCode.InvalidJson,
            "invalid JSON: a \\u escape is half of a surrogate pair without its other half (a lone surrogate is no Unicode text)");
    }

    /// <summary>The value itself when it can be echoed; null when it holds a lone surrogate.</summary>
    private static JsonElement? Echoable(JsonElement? value) =>
        value is { } v && !LoneSurrogates.AreIn(JsonMarshal.GetRawUtf8Value(v)) ? v : null;

    private static string Describe(JsonException e) =>
        e.LineNumber is { } line && e.BytePositionInLine is { } column
            ? $"malformed value at line {line + 1}, byte {column + 1}"
            : "malformed value";
}
