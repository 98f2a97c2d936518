using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using SignalSharp.Faults.Tests.Support;
using SignalSharp.Store;
using Xunit.Abstractions;

namespace SignalSharp.Faults.Tests;

/// <summary>
/// The account's database fails under the running daemon (another process holds it locked, as a backup tool or a
/// second daemon would). Nothing is acked that was not stored, a command that needs the store says why it cannot
/// answer, and once the database is free again every message arrives, once, without a restart.
/// </summary>
public sealed class StoreFaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Messages_refused_while_the_database_is_locked_arrive_once_it_is_free_without_a_restart()
    {
        const int Count = 6;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = timeout.Token;
        await using var mock = await LinkedMock.StartAsync(ct);
        await using var daemon = mock.Daemon();
        await daemon.StartAsync(ct);
        using var client = await LineClient.ConnectAsync(daemon.Port, ct);
        var hello = mock.Server.CommandAsync("sendText", new JsonObject { ["from"] = "alice", ["text"] = "hello" }, ct);
        Assert.Equal(["hello"], Bodies((await client.CommandAsync("{command:'receive_messages',timeout:20000}", ct))!));
        await hello;

        var database = Directory.GetFiles(mock.Config, AccountDatabase.FileName, SearchOption.AllDirectories).Single();
        var sends = new List<Task<JsonNode?>>();
        // Distinct timestamps: a sender's timestamp names its message, and the inbox drops a repeat by it.
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using (var locker = new SqliteConnection($"Data Source={database};Pooling=false"))
        {
            await locker.OpenAsync(ct);
            await using (var begin = locker.CreateCommand())
            {
                begin.CommandText = "BEGIN EXCLUSIVE";
                await begin.ExecuteNonQueryAsync(ct);
            }

            for (var i = 0; i < Count; i++)
            {
                sends.Add(mock.Server.CommandAsync("sendText", new JsonObject { ["from"] = "alice", ["text"] = $"message {i}", ["sealed"] = i % 2 == 0, ["timestamp"] = start + i }, ct));
            }

            // A command that needs the store answers, with the reason, instead of hanging or closing.
            var refused = (await client.CommandAsync("{command:'receive_messages',timeout:1000}", ct))!;
            output.WriteLine(refused.ToJsonString());
            Assert.Equal(-1, refused["statusCode"]!.GetValue<int>());
            Assert.Contains("database is locked", refused["errorMessage"]!.GetValue<string>(), StringComparison.Ordinal);

            while (!daemon.LogContains("could not be stored"))
            {
                await Task.Delay(100, ct);
            }

            Assert.DoesNotContain(sends, s => s.IsCompleted);
        }

        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} database free again");
        var bodies = new List<string>();
        var empties = 0;
        while (bodies.Distinct().Count() < Count)
        {
            var got = Bodies((await client.CommandAsync("{command:'receive_messages',timeout:20000}", ct))!);
            empties = got.Count > 0 ? 0 : empties + 1;
            Assert.True(empties < 3, $"{bodies.Count} of {Count} arrived, then nothing for a minute:\n{daemon.RecentLog}\nmock:\n{string.Join('\n', mock.Server.StandardErrorText.Split('\n').TakeLast(60))}");
            bodies.AddRange(got);
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} +{got.Count}: {string.Join(", ", got)}");
        }

        await Task.WhenAll(sends).WaitAsync(ct);
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"message {i}").Order(), bodies.Order());
        Assert.Empty(Bodies((await client.CommandAsync("{command:'receive_messages',timeout:500}", ct))!));
    }

    // An answer that is not a list of texts is shown whole: an item without a body (a decryption error, say) once
    // failed this test in CI, and the answer was all that run could have told.
    private static List<string> Bodies(JsonNode answer)
    {
        Assert.True(answer["statusCode"]?.GetValue<int>() == 0, "not a success: " + answer.ToJsonString());
        var messages = answer["messages"] as JsonArray;
        Assert.True(messages is not null && messages.All(m => m?["body"] is JsonValue), "an item without a text body: " + answer.ToJsonString());
        return messages.Select(m => m!["body"]!.GetValue<string>()).ToList();
    }
}
