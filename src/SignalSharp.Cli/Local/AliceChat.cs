using System.Globalization;
using System.Text.Json.Nodes;
using SignalSharp.MockHarness;

namespace SignalSharp.Cli.Local;

/// <summary>
/// Alice's 1:1 conversation in `local`: she greets once, then answers everything the daemon's account sends her.
/// A quote gets a reply quoting it, a mention of her "you mentioned me", an edit "you edited: NEW TEXT", a remote
/// delete "you deleted a message", "make a group" a new group with you and Bob (<see cref="AliceGroupMaker"/>);
/// attachments and reactions go to <see cref="AliceMedia"/>, any other text is echoed.
/// She sends a read receipt for every message she answers and a typing indicator before every reply, so that a
/// newcomer sees the everyday kinds both ways through send_message and receive_messages.
/// </summary>
internal sealed class AliceChat(MockHarnessProcess harness, Func<string, Task> progress)
{
    public const string Greeting = "Hi, I'm Alice. Send me a message and I'll echo it.";

    private const int WaitMilliseconds = 3_600_000;
    private const int ReadReceipt = 1;

    private readonly string aliceAci = harness.Ready["contacts"]![0]!["aci"]!.GetValue<string>();
    private readonly AliceGroupMaker groups = new(harness, progress);

    /// <summary>Greets, then answers data messages and, alongside, edits, until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SayAsync(Greeting, cancellationToken).ConfigureAwait(false);
            await Task.WhenAll(AnswerMessagesAsync(cancellationToken), AnswerEditsAsync(cancellationToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is MockHarnessException or InvalidOperationException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            await progress("Alice stopped: " + e.Message).ConfigureAwait(false);
        }
    }

    /// <summary>A typing indicator, then <paramref name="text"/> (quoting <paramref name="quote"/> when given).</summary>
    public async Task SayAsync(string text, CancellationToken cancellationToken, JsonObject? quote = null)
    {
        await TypingAsync(cancellationToken).ConfigureAwait(false);
        if (quote is null)
        {
            await harness.CommandAsync("sendText", new JsonObject { ["from"] = "alice", ["text"] = text }, cancellationToken).ConfigureAwait(false);
            return;
        }

        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var dataMessage = new JsonObject { ["body"] = text, ["timestamp"] = U64(timestamp), ["quote"] = quote };
        await SendContentAsync(new JsonObject { ["dataMessage"] = dataMessage }, cancellationToken, timestamp).ConfigureAwait(false);
    }

    /// <summary>Typing started, as Signal's apps send it while the user writes.</summary>
    public Task TypingAsync(CancellationToken cancellationToken)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return SendContentAsync(new JsonObject { ["typingMessage"] = new JsonObject { ["timestamp"] = U64(timestamp), ["action"] = 0 } }, cancellationToken, timestamp);
    }

    private async Task AnswerMessagesAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var folder = Directory.CreateTempSubdirectory("signalsharp-alice-").FullName;
            try
            {
                JsonNode? message;
                try
                {
                    message = await harness.CommandAsync("waitForAttachmentMessage", AliceMedia.WaitArguments(folder), cancellationToken).ConfigureAwait(false);
                }
                catch (MockHarnessCommandException e) when (e.IsTimeout)
                {
                    continue;
                }

                if (message is not null)
                {
                    await AnswerAsync(message, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private async Task AnswerAsync(JsonNode message, CancellationToken cancellationToken)
    {
        if (message["deleteTimestamp"] is not null)
        {
            await progress("Alice saw a message deleted and says so").ConfigureAwait(false);
            await SayAsync("you deleted a message", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (message["timestamp"]?.GetValue<string>() is { } timestamp)
        {
            await ReadAsync(timestamp, cancellationToken).ConfigureAwait(false);
        }

        if (await AliceMedia.AnswerAsync(harness, this, message, progress, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var body = message["body"]?.GetValue<string>();
        if (message["mentions"] is JsonArray mentions && mentions.Any(m => m?["aci"]?.GetValue<string>() == aliceAci))
        {
            await progress("Alice was mentioned and says so").ConfigureAwait(false);
            await SayAsync("you mentioned me", cancellationToken).ConfigureAwait(false);
        }
        else if (message["quote"] is JsonObject && !string.IsNullOrEmpty(body) && message["timestamp"] is { } quotedId)
        {
            await progress($"Alice got a quoted reply \"{body}\" and answers quoting it").ConfigureAwait(false);
            var quote = new JsonObject
            {
                ["id"] = U64(long.Parse(quotedId.GetValue<string>(), CultureInfo.InvariantCulture)),
                ["authorAci"] = message["source"]!["aci"]!.GetValue<string>(),
                ["text"] = body,
            };
            await SayAsync("echo: " + body, cancellationToken, quote).ConfigureAwait(false);
        }
        else if (AliceGroupMaker.IsRequest(body))
        {
            await groups.MakeAsync(this, cancellationToken).ConfigureAwait(false);
        }
        else if (!string.IsNullOrEmpty(body))
        {
            await progress($"Alice got \"{body}\" and echoes it").ConfigureAwait(false);
            await SayAsync("echo: " + body, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task AnswerEditsAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            JsonNode? edit;
            try
            {
                edit = await harness.CommandAsync("waitForEditContent", new JsonObject { ["at"] = "alice", ["timeoutMs"] = WaitMilliseconds }, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (MockHarnessCommandException e) when (e.IsTimeout)
            {
                continue;
            }

            var newContent = edit?["editMessage"]?["dataMessage"];
            if (newContent?["timestamp"]?.GetValue<string>() is { } timestamp)
            {
                await ReadAsync(timestamp, cancellationToken).ConfigureAwait(false);
            }

            var body = newContent?["body"]?.GetValue<string>() ?? "";
            await progress($"Alice saw an edit \"{body}\" and says so").ConfigureAwait(false);
            await SayAsync("you edited: " + body, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task ReadAsync(string timestamp, CancellationToken cancellationToken)
    {
        var receipt = new JsonObject { ["type"] = ReadReceipt, ["timestamp"] = new JsonArray(new JsonObject { ["$u64"] = timestamp }) };
        return SendContentAsync(new JsonObject { ["receiptMessage"] = receipt }, cancellationToken);
    }

    private Task SendContentAsync(JsonObject content, CancellationToken cancellationToken, long? timestamp = null)
    {
        var arguments = new JsonObject { ["from"] = "alice", ["to"] = "linked", ["content"] = new JsonObject { ["content"] = content } };
        if (timestamp is { } value)
        {
            arguments["timestamp"] = value;
        }

        return harness.CommandAsync("sendContent", arguments, cancellationToken);
    }

    private static JsonObject U64(long value) => new() { ["$u64"] = value.ToString(CultureInfo.InvariantCulture) };
}
