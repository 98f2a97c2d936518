using System.Globalization;
using System.Text.Json.Nodes;
using SignalSharp.MockHarness;

namespace SignalSharp.Cli.Local;

/// <summary>
/// Alice makes a group when asked ("make a group"): on the mock's group server, with the phone's account (so the
/// daemon's, a device of it) and Bob as members, as her app would. She then writes in it (by sender key): the group
/// context in that message is how the daemon's account learns the group and fetches its state; and she answers 1:1
/// with its id, ready for send_message.
/// </summary>
internal sealed class AliceGroupMaker(MockHarnessProcess harness, Func<string, Task> progress)
{
    public const string Request = "make a group";
    public const string Title = "Alice's group";

    private int made;

    /// <summary>Whether a text asks for a group (any case, a trailing "!" or "." allowed).</summary>
    public static bool IsRequest(string? body) => string.Equals(body?.Trim().TrimEnd('!', '.'), Request, StringComparison.OrdinalIgnoreCase);

    public async Task MakeAsync(AliceChat alice, CancellationToken cancellationToken)
    {
        var count = Interlocked.Increment(ref made);
        var title = count == 1 ? Title : string.Create(CultureInfo.InvariantCulture, $"{Title} {count}");
        await progress($"Alice was asked to make a group and makes \"{title}\" with you and Bob").ConfigureAwait(false);
        var created = await harness.CommandAsync("createGroup", new JsonObject
        {
            ["by"] = "alice",
            ["title"] = title,
            ["members"] = new JsonArray("phone", "bob"),
            ["storageSync"] = false,
        }, cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException("createGroup returned nothing");
        var groupId = created["groupId"]!.GetValue<string>();
        await harness.CommandAsync("sendGroupSenderKeyText", new JsonObject
        {
            ["from"] = "alice", ["group"] = groupId, ["to"] = "linked", ["text"] = $"Welcome to {title}: you, Bob and me.",
        }, cancellationToken).ConfigureAwait(false);
        await alice.SayAsync($"I made \"{title}\" with you and Bob: {{command:'send_message',groupId:'{groupId}',dataMessage:{{message:'hi all'}}}}", cancellationToken)
            .ConfigureAwait(false);
    }
}
