using System.Globalization;
using System.Text.Json.Nodes;

namespace SignalSharp.Interop.Testing;

/// <summary>Attachment and reaction commands of the mock harness (interop/mock/attachments.mjs, reactions.mjs).</summary>
public static class MockServerMedia
{
    /// <summary>One attachment a mock contact sends: small ones inline, big ones from a file; on CDN 3 (the mock's) or 2 (the front's).</summary>
    public sealed record ContactAttachment(byte[]? Data = null, string? PlaintextPath = null, string? FileName = null, string? ContentType = null, bool Corrupt = false, bool Missing = false,
        int CdnNumber = 3);

    /// <summary>A contact sends a DataMessage with real pointers (blobs on the mock's CDN 3); returns its timestamp.</summary>
    public static async Task<long> SendAttachmentsAsync(this MockServer mock, string from, IEnumerable<ContactAttachment> attachments,
        string? text = null, long? timestamp = null, CancellationToken cancellationToken = default)
    {
        var specs = new JsonArray();
        foreach (var a in attachments)
        {
            var spec = new JsonObject();
            if (a.PlaintextPath is { } path)
            {
                spec["plaintextPath"] = path;
            }
            else
            {
                spec["dataBase64"] = Convert.ToBase64String(a.Data ?? []);
            }

            if (a.FileName is { } name)
            {
                spec["fileName"] = name;
            }

            if (a.ContentType is { } type)
            {
                spec["contentType"] = type;
            }

            spec["corrupt"] = a.Corrupt;
            spec["missing"] = a.Missing;
            spec["cdnNumber"] = a.CdnNumber;
            specs.Add(spec);
        }

        var args = new JsonObject { ["from"] = from, ["to"] = "linked", ["attachments"] = specs, ["text"] = text };
        if (timestamp is { } ts)
        {
            args["timestamp"] = ts;
        }

        var result = (await mock.CommandAsync("sendAttachment", args, cancellationToken).ConfigureAwait(false))!;
        return long.Parse(result["timestamp"]!.ToString(), CultureInfo.InvariantCulture);
    }

    /// <summary>Stores a blob on the mock's CDN 3 (flipped byte with <paramref name="corrupt"/>); returns {cdnNumber, cdnKey, key, digest, size}.</summary>
    public static async Task<JsonNode> StoreAttachmentAsync(this MockServer mock, byte[] data, bool corrupt = false, CancellationToken cancellationToken = default) =>
        (await mock.CommandAsync("storeAttachment", new JsonObject { ["dataBase64"] = Convert.ToBase64String(data), ["corrupt"] = corrupt }, cancellationToken)
            .ConfigureAwait(false))!;

    /// <summary>The next message a contact decrypted, with each attachment downloaded, verified and decrypted by node.</summary>
    public static async Task<JsonNode> WaitForAttachmentMessageAsync(this MockServer mock, string at, string? outDir = null, CancellationToken cancellationToken = default) =>
        (await mock.CommandAsync("waitForAttachmentMessage", new JsonObject { ["at"] = at, ["outDir"] = outDir }, cancellationToken).ConfigureAwait(false))!;

    /// <summary>A contact reacts (or takes a reaction back) to the message <paramref name="targetAuthorAci"/> sent at <paramref name="targetTimestamp"/>.</summary>
    public static async Task<long> SendReactionAsync(this MockServer mock, string from, string emoji, string targetAuthorAci, long targetTimestamp,
        bool remove = false, CancellationToken cancellationToken = default)
    {
        var result = (await mock.CommandAsync("sendReaction", new JsonObject
        {
            ["from"] = from, ["to"] = "linked", ["emoji"] = emoji, ["targetAuthorAci"] = targetAuthorAci,
            ["targetTimestamp"] = targetTimestamp, ["remove"] = remove,
        }, cancellationToken).ConfigureAwait(false))!;
        return long.Parse(result["timestamp"]!.ToString(), CultureInfo.InvariantCulture);
    }

    /// <summary>The next data message a contact decrypted: body, timestamp, reaction (or null), attachment count.</summary>
    public static async Task<JsonNode> WaitForDataMessageAsync(this MockServer mock, string at, CancellationToken cancellationToken = default) =>
        (await mock.CommandAsync("waitForDataMessage", new JsonObject { ["at"] = at }, cancellationToken).ConfigureAwait(false))!;

    /// <summary>The Sent transcript with this timestamp that the phone (the account's primary) decrypted.</summary>
    public static async Task<JsonNode> WaitForSentTranscriptAsync(this MockServer mock, long timestamp, CancellationToken cancellationToken = default) =>
        (await mock.CommandAsync("waitForSentTranscript", new JsonObject { ["at"] = "phone", ["timestamp"] = timestamp.ToString(CultureInfo.InvariantCulture) }, cancellationToken)
            .ConfigureAwait(false))!;
}
