using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using SignalSharp.Cli.Local;

namespace SignalSharp.Cli.Tests;

/// <summary>`signal-sharp local`: mock server, phone, Alice greeting and echoing (texts, attachments, reactions; 1:1 and in Echo group; quotes, mentions, edits, deletes answered with read receipts and typing), linked device and daemon; Alice makes a group when asked; the contacts printed with their profile names; stopping ends it all.</summary>
public sealed class LocalCommandTests
{
    [Fact]
    public async Task Alice_greets_and_echoes_through_the_daemon_and_stopping_leaves_no_harness_behind()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var port = FreePort();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var before = HarnessProcesses();
        var run = LocalCommand.RunAsync($"127.0.0.1:{port}", SignalSharp.Cli.Hosting.LogSettings.Default, TextWriter.Synchronized(stdout), TextWriter.Synchronized(stderr), stop.Token);

        using var client = new TcpClient();
        for (var attempt = 0; ; attempt++)
        {
            Assert.False(run.IsCompleted, "local exited: " + stdout + stderr);
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
                break;
            }
            catch (SocketException) when (attempt < 600)
            {
                await Task.Delay(100, timeout.Token);
            }
        }

        var stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.UTF8);
        async Task<JsonNode> CommandAsync(string line)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), timeout.Token);
            return JsonNode.Parse((await reader.ReadLineAsync(timeout.Token))!)!;
        }

        // Messages arrive in batches; each expected one is looked for among everything received so far.
        var inbox = new List<JsonNode>();
        async Task<JsonNode> WaitForAsync(Func<JsonNode, bool> match)
        {
            for (var attempt = 0; attempt < 30; attempt++)
            {
                if (inbox.FirstOrDefault(match) is { } found)
                {
                    inbox.Remove(found);
                    return found;
                }

                var batch = await CommandAsync("{command:'receive_messages',timeout:2000}");
                inbox.AddRange(batch["messages"]!.AsArray().Select(m => m!));
            }

            throw new TimeoutException("expected message not received; got: " + string.Join(", ", inbox.Select(m => m.ToJsonString())));
        }

        static string? Body(JsonNode m) => m["body"]?.GetValue<string>();
        static string? Type(JsonNode m) => m["type"]?.GetValue<string>();
        var greeting = await WaitForAsync(m => Body(m) == "Hi, I'm Alice. Send me a message and I'll echo it." && m["groupId"] is null);
        var alice = greeting["senderServiceId"]!.GetValue<string>();

        Assert.Equal(0, (await CommandAsync($"{{command:'send_message',recipient:'{alice}',dataMessage:{{message:'ping ✓'}}}}"))["statusCode"]!.GetValue<int>());
        await WaitForAsync(m => Body(m) == "echo: ping ✓" && m["groupId"] is null);

        // Echo group: Alice greets in it (by sender key, sealed) and echoes a group text in the group.
        var groupGreeting = await WaitForAsync(m => Body(m) == EchoGroup.Greeting);
        Assert.Equal(alice, groupGreeting["senderServiceId"]!.GetValue<string>());
        var groupId = groupGreeting["groupId"]!.GetValue<string>();
        // The daemon learns the group from the phone's storage sync (or Alice's group context): until it has, the
        // group is not found.
        var status = -1;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            status = (await CommandAsync($"{{command:'send_message',groupId:'{groupId}',dataMessage:{{message:'group ping'}}}}"))["statusCode"]!.GetValue<int>();
            if (status != 6)
            {
                break;
            }

            await Task.Delay(200, timeout.Token);
        }

        Assert.Equal(0, status);
        var groupEcho = await WaitForAsync(m => Body(m) == "echo: group ping");
        Assert.Equal(groupId, groupEcho["groupId"]!.GetValue<string>());

        // Attachments come back as they went (same bytes, same file names), with the text echoed beside them.
        var blob = new byte[3000];
        new Random(6).NextBytes(blob);
        var hello = Convert.ToBase64String("hello"u8);
        var binary = Convert.ToBase64String(blob);
        Assert.Equal(0, (await CommandAsync($"{{command:'send_message',recipient:'{alice}',dataMessage:{{message:'files',attachments:[" +
            $"{{base64Data:'{hello}',filename:'hello.txt'}},{{base64Data:'{binary}',filename:'noise.bin'}}]}}}}"))["statusCode"]!.GetValue<int>());
        var filesMessage = await WaitForAsync(m => Body(m) == "echo: files");
        var back = filesMessage["attachments"]!.AsArray();
        Assert.Equal(2, back.Count);
        Assert.Equal((hello, "hello.txt"), (back[0]!["base64Data"]!.GetValue<string>(), back[0]!["filename"]!.GetValue<string>()));
        Assert.Equal((binary, "noise.bin"), (back[1]!["base64Data"]!.GetValue<string>(), back[1]!["filename"]!.GetValue<string>()));

        // Reactions are answered in words, also when taken back.
        var target = filesMessage["timestamp"]!.GetValue<long>();
        foreach (var (remove, answer) in new[] { (false, "reaction 👍🏽 received"), (true, "reaction 👍🏽 removed") })
        {
            var reacted = await CommandAsync($"{{command:'send_reaction',recipient:'{alice}',reaction:{{emoji:'👍🏽',author:'{alice}',timestamp:{target},remove:{(remove ? "true" : "false")}}}}}");
            Assert.Equal(0, reacted["statusCode"]!.GetValue<int>());
            await WaitForAsync(m => Body(m) == answer);
        }

        // Everyday kinds: a quote is answered quoting it, after a read receipt for it and a typing indicator.
        var greetingTimestamp = greeting["timestamp"]!.GetValue<long>();
        var quoting = await CommandAsync($"{{command:'send_message',recipient:'{alice}',dataMessage:{{message:'about that',quote:{{timestamp:{greetingTimestamp},author:'{alice}',text:'Hi'}}}}}}");
        Assert.Equal(0, quoting["statusCode"]!.GetValue<int>());
        var quotingTimestamp = quoting["timestamp"]!.GetValue<long>();
        var read = await WaitForAsync(m => Type(m) == "receipt" && m["timestamps"]!.AsArray().Any(t => t!.GetValue<long>() == quotingTimestamp));
        Assert.Equal(("READ", alice), (read["receiptType"]!.GetValue<string>(), read["senderServiceId"]!.GetValue<string>()));
        var typing = await WaitForAsync(m => Type(m) == "typing");
        Assert.Equal(("STARTED", alice), (typing["action"]!.GetValue<string>(), typing["senderServiceId"]!.GetValue<string>()));
        var quotedBack = await WaitForAsync(m => Body(m) == "echo: about that");
        var quote = quotedBack["quote"]!;
        Assert.Equal((quotingTimestamp, "about that"), (quote["id"]!.GetValue<long>(), quote["text"]!.GetValue<string>()));
        var ownNumber = System.Text.RegularExpressions.Regex.Match(stdout.ToString(), @"Linked as (\+\d+)").Groups[1].Value;
        Assert.NotEmpty(ownNumber);
        Assert.Equal(ownNumber, quote["author"]!.GetValue<string>());

        // A mention of Alice, an edit and a remote delete are each answered in words.
        Assert.Equal(0, (await CommandAsync($"{{command:'send_message',recipient:'{alice}',dataMessage:{{message:'\ufffc look',mentions:[{{start:0,length:1,recipient:'{alice}'}}]}}}}"))["statusCode"]!.GetValue<int>());
        await WaitForAsync(m => Body(m) == "you mentioned me");
        Assert.Equal(0, (await CommandAsync($"{{command:'send_message',recipient:'{alice}',dataMessage:{{message:'about this',editTimestamp:{quotingTimestamp}}}}}"))["statusCode"]!.GetValue<int>());
        await WaitForAsync(m => Body(m) == "you edited: about this");
        Assert.Equal(0, (await CommandAsync($"{{command:'send_remote_delete',recipient:'{alice}',targetTimestamp:{quotingTimestamp}}}"))["statusCode"]!.GetValue<int>());
        await WaitForAsync(m => Body(m) == "you deleted a message");

        // Asked to, Alice makes a group with us and Bob: she writes in it (the daemon's account learns it from that
        // message's group context and fetches it) and answers with its id; the daemon then sends in it as a member.
        Assert.Equal(0, (await CommandAsync($"{{command:'send_message',recipient:'{alice}',dataMessage:{{message:'Make a group!'}}}}"))["statusCode"]!.GetValue<int>());
        var welcome = await WaitForAsync(m => Body(m) == "Welcome to " + AliceGroupMaker.Title + ": you, Bob and me.");
        var madeId = welcome["groupId"]!.GetValue<string>();
        Assert.NotEqual(groupId, madeId);
        var made = await WaitForAsync(m => Body(m)?.StartsWith("I made \"" + AliceGroupMaker.Title + "\"", StringComparison.Ordinal) == true && m["groupId"] is null);
        Assert.Contains(madeId, Body(made), StringComparison.Ordinal);
        status = -1;
        for (var attempt = 0; attempt < 100 && status is -1 or 6; attempt++)
        {
            status = (await CommandAsync($"{{command:'send_message',groupId:'{madeId}',dataMessage:{{message:'thanks'}}}}"))["statusCode"]!.GetValue<int>();
            await Task.Delay(status == 6 ? 200 : 0, timeout.Token);
        }

        Assert.Equal(0, status);

        // At start, local printed the contacts as the daemon knows them, with the profile names it decrypted.
        for (var attempt = 0; attempt < 600 && !stdout.ToString().Contains("[local] Contacts:", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(100, timeout.Token);
        }

        Assert.Matches(@"\[local\] Contacts: .*Alice \(\+\d+\).*Bob \(\+\d+\)", stdout.ToString());

        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Empty(HarnessProcesses().Except(before));
    }

    // Harness processes started with this command's own options (other tests' harnesses run with other options).
    private static HashSet<int> HarnessProcesses() => Process.GetProcessesByName("node")
        .Where(p =>
        {
            try
            {
                return File.ReadAllText($"/proc/{p.Id}/cmdline").Contains("--timeout-ms\u0000120000", StringComparison.Ordinal);
            }
            catch (IOException)
            {
                return false;
            }
        })
        .Select(p => p.Id)
        .ToHashSet();

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
