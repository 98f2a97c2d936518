using System.Text.Json;
using System.Text.Json.Nodes;

namespace SignalSharp.Cli.Tests.Corpus;

/// <summary>
/// The JSON-RPC requests of signal-cli's <c>run_tests.sh</c> (its <c>jsonRpc</c> block, run as NUMBER_2 with
/// NUMBER_1 the other account), as literal lines, each with the answer signal-cli's contract gives it. Here NUMBER_1
/// is the mock contact Alice and NUMBER_2 the linked account's own number.
/// </summary>
internal static class RunTestsCorpus
{
    /// <summary>What one line must be answered with: a result of <see cref="ResultKind"/>, or an error with <see cref="ErrorCode"/>.</summary>
    internal sealed record Expected(string Line, JsonValueKind? ResultKind, int? ErrorCode, Action<JsonNode>? Check = null)
    {
        /// <summary>The id exactly as the line sends it (a string, a number or null).</summary>
        public JsonNode? Id => JsonNode.Parse(Line)!["id"];

        public override string ToString() => Line;
    }

    public static IReadOnlyList<Expected> Lines(string number1, string number2, string aci1) =>
    [
        Result($$$"""{"jsonrpc":"2.0","id":"id","method":"updateContact","params":{"recipient":"{{{number1}}}","name":"NUMBER_1","expiration":10}}""", JsonValueKind.Object, Empty),
        Result($$$"""{"jsonrpc":"2.0","id":5,"method":"block","params":{"recipient":"{{{number1}}}"}}""", JsonValueKind.Object, Empty),
        Result($$$"""{"jsonrpc":"2.0","id":null,"method":"unblock","params":{"recipient":"{{{number1}}}"}}""", JsonValueKind.Object, Empty),
        Result("""{"jsonrpc":"2.0","id":"id","method":"listContacts"}""", JsonValueKind.Array,
            r => Assert.Contains(r.AsArray(), c => (string?)c!["number"] == number1 && (string?)c["uuid"] == aci1)),
        Result("""{"jsonrpc":"2.0","id":"id","method":"listGroups"}""", JsonValueKind.Array),
        Result("""{"jsonrpc":"2.0","id":"id","method":"listDevices"}""", JsonValueKind.Array,
            r => Assert.Contains(r.AsArray(), d => (int)d!["id"]! == 1)),
        Result("""{"jsonrpc":"2.0","id":"id","method":"listIdentities"}""", JsonValueKind.Array),
        // The account installed no sticker pack: an empty list.
        Result("""{"jsonrpc":"2.0","id":"id","method":"listStickerPacks"}""", JsonValueKind.Array, r => Assert.Empty(r.AsArray())),
        Result("""{"jsonrpc":"2.0","id":"id","method":"sendSyncRequest"}""", JsonValueKind.Object, Empty),
        Result("""{"jsonrpc":"2.0","id":"id","method":"sendContacts"}""", JsonValueKind.Object, Empty),
        Result("""{"jsonrpc":"2.0","id":"id","method":"version"}""", JsonValueKind.Object, r => Assert.False(string.IsNullOrEmpty((string?)r["version"]))),
        Result("""{"jsonrpc":"2.0","id":"id","method":"updateAccount"}""", JsonValueKind.Object, Empty),
        Result($$$"""{"jsonrpc":"2.0","id":7,"method":"sendReceipt","params":{"recipient":"{{{number1}}}","targetTimestamp":1629919505575}}""", JsonValueKind.Object,
            r => Assert.True((long)r["timestamp"]! > 0)),
        Result($$$"""{"jsonrpc":"2.0","id":7,"method":"sendTyping","params":{"recipient":"{{{number1}}}"}}""", JsonValueKind.Object),
        Result($$$"""{"jsonrpc":"2.0","id":7,"method":"send","params":{"recipient":"{{{number1}}}","message":"some text"}}""", JsonValueKind.Object,
            r => Sent(r, number1)),
        Result($$$"""{"jsonrpc":"2.0","id":7,"method":"send","params":{"recipients":["{{{number1}}}","{{{number2}}}"],"message":"some other text"}}""", JsonValueKind.Object,
            r => Sent(r, number1, number2)),
        Result($$$"""{"jsonrpc":"2.0","id":7,"method":"sendReaction","params":{"recipients":["{{{number2}}}"],"targetAuthor":"{{{number1}}}","emoji":"👍","targetTimestamp":4756473756}}""",
            JsonValueKind.Object, r => Sent(r, number2)),
        // run_tests.sh's avatar file (LICENSE, beside its script) is not where the daemon looks: a user error naming the
        // avatar, and nothing of the profile is changed.
        Error("""{"jsonrpc":"2.0","id":7,"method":"updateProfile","params":{"givenName":"n1","familyName":"n2","about":"ABA","aboutEmoji":"EMO","avatar":"LICENSE"}}""", -1,
            e => Assert.Contains("avatar", (string)e["message"]!)),
        Result($$$"""{"jsonrpc":"2.0","id":7,"method":"getUserStatus","params":{"recipient":"{{{number1}}}"}}""", JsonValueKind.Array,
            r => Assert.Equal(
                new JsonObject { ["recipient"] = number1, ["number"] = number1, ["uuid"] = aci1, ["isRegistered"] = true }.ToJsonString(),
                Assert.Single(r.AsArray())!.ToJsonString())),
        // run_tests.sh: "Error expected".
        Error("""{"jsonrpc":"2.0","id":7,"method":"sendReceipt","params":{"recipient":5}}""", -1),
    ];

    private static Expected Result(string line, JsonValueKind kind, Action<JsonNode>? check = null) => new(line, kind, null, check);

    private static Expected Error(string line, int code, Action<JsonNode>? check = null) => new(line, null, code, check);

    private static void Empty(JsonNode result) => Assert.Empty(result.AsObject());

    /// <summary>signal-cli's send result: the timestamp and one SUCCESS per recipient, in order.</summary>
    private static void Sent(JsonNode result, params string[] numbers)
    {
        Assert.True((long)result["timestamp"]! > 0);
        var results = result["results"]!.AsArray();
        Assert.Equal(numbers, results.Select(r => (string?)r!["recipientAddress"]!["number"]));
        Assert.All(results, r => Assert.Equal("SUCCESS", (string?)r!["type"]));
    }

    /// <summary>
    /// One answer line checked strictly: a JSON-RPC 2.0 response object with exactly the members it needs, the id
    /// echoed with its type, exactly one of result and error, and what the line expects.
    /// </summary>
    public static void AssertAnswer(Expected expected, string? answerLine)
    {
        Assert.True(answerLine is not null, $"no answer to {expected.Line}");
        var answer = JsonNode.Parse(answerLine!)!.AsObject();
        var context = $"{expected.Line}\n→ {answerLine}";
        Assert.True((string?)answer["jsonrpc"] == "2.0", context);
        Assert.True(answer.ContainsKey("id"), context);
        Assert.True(JsonNode.DeepEquals(expected.Id, answer["id"]), context);
        Assert.True((expected.Id?.GetValueKind() ?? JsonValueKind.Null) == (answer["id"]?.GetValueKind() ?? JsonValueKind.Null), context);
        Assert.True(answer.ContainsKey("result") != answer.ContainsKey("error"), context);
        Assert.True(answer.Count == 3, context);
        if (expected.ErrorCode is { } code)
        {
            var error = answer["error"] as JsonObject;
            Assert.True(error is not null, context);
            Assert.True((int?)error!["code"] == code, context);
            Assert.True(error["message"] is JsonValue message && message.GetValueKind() == JsonValueKind.String, context);
            Check(expected, error, context);
            return;
        }

        var result = answer["result"];
        Assert.True(result is not null && result.GetValueKind() == expected.ResultKind, context);
        Check(expected, result!, context);
    }

    private static void Check(Expected expected, JsonNode node, string context)
    {
        try
        {
            expected.Check?.Invoke(node);
        }
        catch (Exception e) when (e is Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"{context}\n{e.Message}");
        }
    }
}
