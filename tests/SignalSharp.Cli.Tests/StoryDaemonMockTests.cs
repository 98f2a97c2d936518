using System.Text.Json.Nodes;
using SignalSharp.Account.Linking;
using SignalSharp.Cli.Tests.Support;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Cli.Tests;

/// <summary>`daemon --receive-stories` end to end: Alice posts a story on the mock and a TCP client receives it as an item.</summary>
public sealed class StoryDaemonMockTests
{
    [Fact]
    public async Task With_receive_stories_a_contacts_story_reaches_receive_messages()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync(contacts: "Alice", ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-story-").FullName;
        try
        {
            var profilePath = Path.Combine(config, "mock.json");
            mock.WriteServerProfile(profilePath);
            Task<JsonNode?>? phoneSide = null;
            var record = await new DeviceLinker(ServerProfile.Load(profilePath), config) { OneTimePreKeyCount = 10 }.LinkAsync("story test", uri =>
                phoneSide = mock.CommandAsync("link", new JsonObject { ["provisionUrl"] = uri.OriginalString }, ct), ct);
            await phoneSide!.WaitAsync(ct);
            await using var daemon = await RunningDaemon.StartAsync(["--config", config, "-a", record.Name], ["--receive-stories"], cancellationToken: ct);

            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await mock.CommandAsync("sendContent", new JsonObject
            {
                ["from"] = "alice",
                ["timestamp"] = timestamp,
                ["content"] = new JsonObject
                {
                    ["content"] = new JsonObject
                    {
                        ["storyMessage"] = new JsonObject
                        {
                            ["allowsReplies"] = true,
                            ["attachment"] = new JsonObject { ["textAttachment"] = new JsonObject { ["text"] = "out on the lake", ["background"] = new JsonObject { ["color"] = 0xFF2060A0u } } },
                        },
                    },
                },
            }, ct);

            JsonNode? story = null;
            while (story is null)
            {
                var answer = await daemon.CommandAsync("{\"command\":\"receive_messages\",\"timeout\":5000}", ct);
                story = answer["messages"]!.AsArray().FirstOrDefault(m => m!["timestamp"]!.GetValue<long>() == timestamp);
            }

            // Named by number once the phone's contact sync arrived, which may be after the story: the service id is certain.
            Assert.Equal(mock.Contact("alice")["aci"]!.GetValue<string>(), story["senderServiceId"]!.GetValue<string>());
            Assert.Equal("out on the lake", story["body"]!.GetValue<string>());
            Assert.True(story["story"]!["allowsReplies"]!.GetValue<bool>());
            Assert.Equal("#ff2060a0", story["story"]!["text"]!["backgroundColor"]!.GetValue<string>());
            Assert.Equal(0, await daemon.StopAsync());
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }
}
