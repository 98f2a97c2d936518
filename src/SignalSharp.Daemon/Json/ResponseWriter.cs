using System.Buffers;
using System.Text.Json;
using SignalSharp.Account.Api;

namespace SignalSharp.Daemon.Json;

/// <summary>
/// Writes responses: each one compact JSON object on one line, ended by '\n'. Field order follows the spec's
/// examples (command, reqId, statusCode, then the payload). Written with Utf8JsonWriter rather than a serializer:
/// reqId must be echoed as whatever JSON value the client sent, and no reflection is allowed in the AOT build.
/// </summary>
internal sealed class ResponseWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        Encoder = MinimalJsonEncoder.Instance,
        Indented = false,
    };

    // Raw bytes per base64 slice of a large attachment: a multiple of 3, so no slice leaves a partial group.
    private const int Base64Slice = 768 * 1024;

    private readonly Utf8JsonWriter json = new(Stream.Null, Options);
    private ArrayBufferWriter<byte> scratch = new(256);

    /// <summary>An error response; <paramref name="command"/> and <paramref name="reqId"/> are echoed when known.</summary>
    public void WriteError(IBufferWriter<byte> output, JsonElement? command, JsonElement? reqId, StatusCode status, string message)
    {
        try
        {
            json.Reset(scratch);
            json.WriteStartObject();
            if (command is { } c)
            {
                json.WritePropertyName("command"u8);
                c.WriteTo(json);
            }

            WriteReqId(reqId);
            json.WriteNumber("statusCode"u8, (int)status);
            json.WriteString("errorMessage"u8, message);
            json.WriteEndObject();
            json.Flush();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            WriteUnwritable();
        }

        Commit(output);
    }

    /// <summary>Status 0 and nothing else (the answer to an <c>auth</c> object).</summary>
    public void WriteDone(IBufferWriter<byte> output, string command, JsonElement? reqId)
    {
        try
        {
            json.Reset(scratch);
            json.WriteStartObject();
            json.WriteString("command"u8, command);
            WriteReqId(reqId);
            json.WriteNumber("statusCode"u8, (int)StatusCode.Success);
            json.WriteEndObject();
            json.Flush();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            WriteUnwritable();
        }

        Commit(output);
    }

    /// <summary>A send's answer: the timestamp and, for a group (an extension), one result per other member.</summary>
    public void WriteSent(IBufferWriter<byte> output, string command, JsonElement? reqId, SendResult result)
    {
        try
        {
            json.Reset(scratch);
            json.WriteStartObject();
            json.WriteString("command"u8, command);
            WriteReqId(reqId);
            json.WriteNumber("statusCode"u8, (int)StatusCode.Success);
            json.WriteNumber("timestamp"u8, result.Timestamp);
            if (result.Results is { } results)
            {
                json.WriteStartArray("results"u8);
                foreach (var one in results)
                {
                    json.WriteStartObject();
                    json.WriteString("recipient"u8, one.Recipient);
                    if (one.ServiceId is { } serviceId)
                    {
                        json.WriteString("serviceId"u8, serviceId.ToString());
                    }

                    json.WriteBoolean("success"u8, one.Success);
                    if (one.Failure is { } failure)
                    {
                        json.WriteString("error"u8, failure);
                    }

                    if (one.UntrustedIdentity)
                    {
                        json.WriteBoolean("untrustedIdentity"u8, true);
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
            json.Flush();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            WriteUnwritable();
        }

        Commit(output);
    }

    /// <summary>
    /// The answer for a command whose own answer could not be written (a value that cannot be echoed): it still
    /// gets exactly one answer, and the connection goes on. Without command or reqId, since those were the trouble.
    /// </summary>
    private void WriteUnwritable()
    {
        scratch.ResetWrittenCount();
        json.Reset(scratch);
        json.WriteStartObject();
        json.WriteNumber("statusCode"u8, (int)StatusCode.Unknown);
        json.WriteString("errorMessage"u8, "the answer to this command could not be written");
        json.WriteEndObject();
        json.Flush();
    }

    /// <summary>A small answer is built aside and copied whole, so a failure half-way leaves nothing half-written.</summary>
    private void Commit(IBufferWriter<byte> output)
    {
        var line = output.GetSpan(scratch.WrittenCount + 1);
        scratch.WrittenSpan.CopyTo(line);
        line[scratch.WrittenCount] = (byte)'\n';
        output.Advance(scratch.WrittenCount + 1);
        scratch.ResetWrittenCount();
        if (scratch.Capacity > 64 * 1024)
        {
            // A huge reqId echoed once does not keep its buffer for the connection's life.
            scratch = new ArrayBufferWriter<byte>(256);
        }
    }

    /// <summary>The trust and list_identities answers: one identity (<paramref name="single"/>) or a list under "identities".</summary>
    public void WriteIdentities(IBufferWriter<byte> output, string command, JsonElement? reqId, IReadOnlyList<IdentityEntry> entries, bool single)
    {
        json.Reset(output);
        json.WriteStartObject();
        json.WriteString("command"u8, command);
        WriteReqId(reqId);
        json.WriteNumber("statusCode"u8, (int)StatusCode.Success);
        if (single)
        {
            WriteIdentityFields(entries[0]);
        }
        else
        {
            json.WriteStartArray("identities"u8);
            foreach (var entry in entries)
            {
                json.WriteStartObject();
                WriteIdentityFields(entry);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
        EndLine(output);
    }

    private void WriteIdentityFields(IdentityEntry entry)
    {
        if (entry.Number is { } number)
        {
            json.WriteString("number"u8, number);
        }

        json.WriteString("serviceId"u8, entry.ServiceId.ToString());
        json.WriteString("safetyNumber"u8, entry.SafetyNumber);
        json.WriteString("trustLevel"u8, entry.Trust switch
        {
            IdentityTrust.TrustedVerified => "TRUSTED_VERIFIED"u8,
            IdentityTrust.TrustedUnverified => "TRUSTED_UNVERIFIED"u8,
            _ => "UNTRUSTED"u8,
        });
        json.WriteNumber("addedTimestamp"u8, entry.AddedAt.ToUnixTimeMilliseconds());
    }

    /// <summary>
    /// The receive_messages answer. Attachment data is written as base64 in slices, each sent to the client before
    /// the next is encoded, so a big attachment never sits in memory a second time as text; the caller flushes
    /// the rest. A client that goes away mid-answer surfaces as <see cref="ClientGoneException"/>.
    /// </summary>
    public async ValueTask WriteReceivedAsync(IResponseSink sink, JsonElement? reqId, IReadOnlyList<ReceivedItem> items, bool ignoreAttachments, CancellationToken cancellationToken)
    {
        json.Reset(sink.Output);
        json.WriteStartObject();
        json.WriteString("command"u8, "receive_messages"u8);
        WriteReqId(reqId);
        json.WriteNumber("statusCode"u8, (int)StatusCode.Success);
        json.WriteStartArray("messages"u8);
        foreach (var item in items)
        {
            switch (item)
            {
                case ReceivedMessage message:
                    await WriteMessageAsync(sink, message, null, ignoreAttachments, cancellationToken).ConfigureAwait(false);
                    break;
                case ReceivedSentTranscript sent:
                    await WriteMessageAsync(sink, sent.Message, sent, ignoreAttachments, cancellationToken).ConfigureAwait(false);
                    break;
                case ReceivedTyping typing:
                    ItemFieldsWriter.WriteTyping(json, typing);
                    break;
                case ReceivedReceipt receipt:
                    ItemFieldsWriter.WriteReceipt(json, receipt);
                    break;
                case ReceivedReadSync readSync:
                    ItemFieldsWriter.WriteReadSync(json, readSync);
                    break;
                case ReceivedGroupChange groupChange:
                    GroupChangeItemWriter.Write(json, groupChange);
                    break;
                case ReceivedIdentityChange change:
                    json.WriteStartObject();
                    json.WriteNumber("timestamp"u8, change.Timestamp);
                    json.WriteString("sender"u8, change.Sender);
                    if (change.SenderServiceId is { } changedServiceId)
                    {
                        json.WriteString("senderServiceId"u8, changedServiceId.ToString());
                    }

                    json.WriteBoolean("identityChanged"u8, true);
                    json.WriteString("safetyNumber"u8, change.SafetyNumber);
                    json.WriteEndObject();
                    break;
                case ReceiveFailure failure:
                    json.WriteStartObject();
                    json.WriteNumber("statusCode"u8, (int)StatusMapping.ToStatus(failure.Kind));
                    json.WriteString("errorMessage"u8, failure.ErrorMessage);
                    json.WriteEndObject();
                    break;
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
        EndLine(sink.Output);
    }

    /// <summary>
    /// A message item (the seed's shape and its extensions); with <paramref name="transcript"/>, a message another of
    /// the account's devices sent, typed "sentTranscript" and naming its destination. A timer change that is not a
    /// transcript is typed "expirationTimer".
    /// </summary>
    private async ValueTask WriteMessageAsync(IResponseSink sink, ReceivedMessage message, ReceivedSentTranscript? transcript, bool ignoreAttachments,
        CancellationToken cancellationToken)
    {
        json.WriteStartObject();
        if (transcript is not null)
        {
            json.WriteString("type"u8, "sentTranscript"u8);
        }
        else if (message.Details.ExpirationUpdate)
        {
            json.WriteString("type"u8, "expirationTimer"u8);
        }

        json.WriteNumber("timestamp"u8, message.Timestamp);
        json.WriteString("sender"u8, message.Sender);
        if (message.SenderServiceId is { } serviceId)
        {
            json.WriteString("senderServiceId"u8, serviceId.ToString());
        }

        if (transcript is null && message.SenderName is { } senderName)
        {
            json.WriteString("senderName"u8, senderName);
        }

        if (transcript?.Destination is { } destination)
        {
            json.WriteString("destination"u8, destination);
        }

        if (transcript?.DestinationServiceId is { } destinationServiceId)
        {
            json.WriteString("destinationServiceId"u8, destinationServiceId);
        }

        if (message.GroupId is { } groupId)
        {
            json.WriteString("groupId"u8, groupId.ToBase64());
        }

        if (message.Body is { } body)
        {
            json.WriteString("body"u8, body);
        }

        if (message.UntrustedIdentity)
        {
            json.WriteBoolean("untrustedIdentity"u8, true);
        }

        json.WriteStartArray("attachments"u8);
        foreach (var attachment in message.Attachments)
        {
            json.WriteStartObject();
            if (!ignoreAttachments && attachment.Data is { } data)
            {
                json.WritePropertyName("base64Data"u8);
                await WriteBase64Async(sink, data, cancellationToken).ConfigureAwait(false);
            }

            if (attachment.FileName is { } fileName)
            {
                json.WriteString("filename"u8, fileName);
            }

            if (attachment.ContentType is { } contentType)
            {
                json.WriteString("contentType"u8, contentType);
            }

            if (attachment.Size is { } size)
            {
                json.WriteNumber("size"u8, size);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (message.Reaction is { } reaction)
        {
            json.WriteStartObject("reaction"u8);
            json.WriteString("emoji"u8, reaction.Emoji);
            json.WriteString("author"u8, reaction.TargetAuthor);
            json.WriteBoolean("remove"u8, reaction.Remove);
            json.WriteNumber("timestamp"u8, reaction.TargetTimestamp);
            json.WriteEndObject();
        }

        if (transcript is not null && message.Details.ExpirationUpdate)
        {
            json.WriteBoolean("expirationUpdate"u8, true);
        }

        ItemFieldsWriter.WriteDetails(json, message.Details);
        json.WriteEndObject();
    }

    private async ValueTask WriteBase64Async(IResponseSink sink, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (data.Length <= Base64Slice)
        {
            json.WriteBase64StringValue(data.Span);
            return;
        }

        for (var offset = 0; offset < data.Length; offset += Base64Slice)
        {
            var slice = data.Slice(offset, Math.Min(Base64Slice, data.Length - offset));
            json.WriteBase64StringSegment(slice.Span, offset + slice.Length == data.Length);
            json.Flush();
            await sink.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void WriteReqId(JsonElement? reqId)
    {
        if (reqId is { } id)
        {
            // WriteTo re-emits the same JSON value compactly, so a pretty-printed object id stays on one line.
            json.WritePropertyName("reqId"u8);
            id.WriteTo(json);
        }
    }

    private void EndLine(IBufferWriter<byte> output)
    {
        json.Flush();
        output.GetSpan(1)[0] = (byte)'\n';
        output.Advance(1);
    }
}
