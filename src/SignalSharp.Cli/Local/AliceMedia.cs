using System.Text.Json.Nodes;
using SignalSharp.MockHarness;

namespace SignalSharp.Cli.Local;

/// <summary>
/// Alice's answers to what is more than text: every attachment goes back as it came (same bytes, file name and
/// type, with "echo: TEXT" when the message had text), and every reaction is acknowledged in words
/// ("reaction 👍 received" / "reaction 👍 removed"), so that a newcomer sees send_message with attachments,
/// send_reaction and receive_messages work. Each answer goes through <see cref="AliceChat"/>, which types first.
/// </summary>
internal static class AliceMedia
{
    /// <summary>How Alice waits: the next message she decrypted, its attachments downloaded into <paramref name="folder"/>.</summary>
    public static JsonObject WaitArguments(string folder) => new() { ["at"] = "alice", ["timeoutMs"] = 3_600_000, ["outDir"] = folder };

    /// <summary>Answers <paramref name="message"/> when it carries a reaction or attachments; false leaves it to the text echo.</summary>
    public static async Task<bool> AnswerAsync(MockHarnessProcess harness, AliceChat chat, JsonNode message, Func<string, Task> progress, CancellationToken cancellationToken)
    {
        if (message["reaction"] is JsonObject reaction && reaction["emoji"]?.GetValue<string>() is { } emoji)
        {
            var removed = reaction["remove"]?.GetValue<bool>() == true;
            var answer = $"reaction {emoji} {(removed ? "removed" : "received")}";
            await progress($"Alice got a reaction and answers \"{answer}\"").ConfigureAwait(false);
            await chat.SayAsync(answer, cancellationToken).ConfigureAwait(false);
            return true;
        }

        if (message["attachments"] is not JsonArray { Count: > 0 } attachments)
        {
            return false;
        }

        var echoed = new JsonArray();
        foreach (var attachment in attachments)
        {
            if (attachment?["error"]?.GetValue<string>() is { } error)
            {
                await progress($"Alice could not open an attachment: {error}").ConfigureAwait(false);
                continue;
            }

            echoed.Add((JsonNode)new JsonObject
            {
                ["plaintextPath"] = attachment!["path"]!.GetValue<string>(),
                ["fileName"] = attachment["fileName"]?.DeepClone(),
                ["contentType"] = attachment["contentType"]?.DeepClone(),
            });
        }

        var body = message["body"]?.GetValue<string>();
        var text = string.IsNullOrEmpty(body) ? null : "echo: " + body;
        await progress($"Alice got {attachments.Count} attachment(s) and echoes {echoed.Count}").ConfigureAwait(false);
        var echo = new JsonObject { ["from"] = "alice", ["to"] = "linked", ["attachments"] = echoed, ["text"] = text };
        if (echoed.Count > 0)
        {
            await chat.TypingAsync(cancellationToken).ConfigureAwait(false);
            await harness.CommandAsync("sendAttachment", echo, cancellationToken).ConfigureAwait(false);
        }
        else if (text is not null)
        {
            await chat.SayAsync(text, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }
}
