using System.Text.Json.Nodes;
using SignalSharp.MockHarness;

namespace SignalSharp.Cli.Local;

/// <summary>
/// The local job's group: the phone creates "Echo group" with Alice and Bob (and records it in its storage
/// state, syncing its linked devices); Alice greets in it once and echoes every group text she gets there
/// (<c>echo: &lt;text&gt;</c>) by sender key, sealed, as Signal's clients send group messages.
/// </summary>
internal sealed class EchoGroup
{
    public const string Title = "Echo group";
    public const string Greeting = "Hi all, I'm Alice. Write in Echo group and I'll echo it here.";

    private EchoGroup(string groupId) => GroupId = groupId;

    /// <summary>The group id (base64), as send_message's groupId takes it.</summary>
    public string GroupId { get; }

    /// <summary>
    /// Creates the group on the mock. The phone records it in its storage state and tells its linked devices to
    /// read storage again (a SyncMessage fetch-latest), which is how the daemon's account learns it; Alice's first
    /// group message (its GroupContextV2) would also make the account fetch it.
    /// </summary>
    public static async Task<EchoGroup> CreateAsync(MockHarnessProcess harness, CancellationToken cancellationToken)
    {
        // Alice's group messages are kept apart from her 1:1 queue, so that her 1:1 echo never takes them.
        await harness.CommandAsync("routeGroupMessages", new JsonObject { ["names"] = new JsonArray("alice") }, cancellationToken).ConfigureAwait(false);
        var created = await harness.CommandAsync("createGroup", new JsonObject
        {
            ["by"] = "phone",
            ["title"] = Title,
            ["members"] = new JsonArray("alice", "bob"),
            ["storageSync"] = true,
        }, cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException("createGroup returned nothing");
        return new EchoGroup(created["groupId"]!.GetValue<string>());
    }

    /// <summary>Alice greets in the group once, then echoes every group text until cancelled.</summary>
    public async Task RunAliceAsync(MockHarnessProcess harness, Func<string, Task> progress, CancellationToken cancellationToken)
    {
        try
        {
            // Alice's 1:1 greeting goes first (it is what a client sees first); this one follows it on the server.
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            await SendAsync(harness, Greeting, cancellationToken).ConfigureAwait(false);
            while (!cancellationToken.IsCancellationRequested)
            {
                JsonNode? message;
                try
                {
                    message = await harness.CommandAsync("waitForGroupMessage", new JsonObject { ["at"] = "alice", ["timeoutMs"] = 3_600_000 }, cancellationToken)
                        .ConfigureAwait(false);
                }
                catch (MockHarnessCommandException e) when (e.IsTimeout)
                {
                    continue;
                }

                if (message?["body"]?.GetValue<string>() is { Length: > 0 } body && message["group"]?["groupId"]?.GetValue<string>() == GroupId)
                {
                    await progress($"Alice got \"{body}\" in {Title} and echoes it there").ConfigureAwait(false);
                    await SendAsync(harness, "echo: " + body, cancellationToken).ConfigureAwait(false);
                }
            }
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

            await progress($"Alice stopped echoing in {Title}: {e.Message}").ConfigureAwait(false);
        }
    }

    private Task SendAsync(MockHarnessProcess harness, string text, CancellationToken cancellationToken)
        => harness.CommandAsync("sendGroupSenderKeyText", new JsonObject { ["from"] = "alice", ["group"] = GroupId, ["to"] = "linked", ["text"] = text }, cancellationToken);
}
