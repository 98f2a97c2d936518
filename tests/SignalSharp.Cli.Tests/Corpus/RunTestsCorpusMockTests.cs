using System.Net;
using System.Net.Sockets;
using System.Text;
using SignalSharp.Cli.Accounts;
using SignalSharp.Cli.Tests.Support;
using SignalSharp.Interop.Testing;

namespace SignalSharp.Cli.Tests.Corpus;

/// <summary>
/// signal-cli's <c>run_tests.sh</c> JSON-RPC corpus, replayed line by line as a strict client would, over each of
/// the daemon's channels at once (TCP, the UNIX socket and HTTP POST /api/v1/rpc) with an account linked to the mock:
/// every line gets one answer, its id echoed with its type (string, number, null), a result or the error code the
/// corpus expects.
/// </summary>
public sealed class RunTestsCorpusMockTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_run_tests_corpus_is_answered_as_signal_cli_does_over_tcp_the_unix_socket_and_http()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(300));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync(contacts: "Alice", ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-corpus-").FullName;
        try
        {
            var number = await JsonRpcMockTests.LinkAsync(mock, config, ct);
            var alice = mock.Contact("alice");
            var corpus = RunTestsCorpus.Lines(alice["number"]!.GetValue<string>(), number, alice["aci"]!.GetValue<string>());
            var socketPath = Path.Combine(config, "run", "socket");
            var tcpPort = Loopback.FreePort();
            var httpPort = Loopback.FreePort();
            using var stop = new CancellationTokenSource();
            var stderr = new StringWriter();
            var daemon = CliApp.RunAsync(
                ["--config", config, "-a", number, "daemon", "--tcp", $"127.0.0.1:{tcpPort}", "--socket", socketPath, "--http", $"127.0.0.1:{httpPort}",
                    "--receive-mode", "manual"],
                new StringWriter(), stderr, new CliServices(new StoredAccountOpener(), stop.Token));

            // Alice is a contact once the phone's contact sync arrived (listContacts and getUserStatus read it).
            await WaitForContactAsync(await Loopback.ConnectAsync(tcpPort, daemon, stderr), alice["number"]!.GetValue<string>(), ct);

            await using (var tcp = await Loopback.ConnectAsync(tcpPort, daemon, stderr))
            {
                await ReplayAsync(tcp, corpus, ct);
            }

            await using (var burst = await Loopback.ConnectAsync(tcpPort, daemon, stderr))
            {
                await BurstAsync(burst, corpus, ct);
            }

            await using (var unix = await JsonRpcMockTests.ConnectAsync(socketPath, daemon, stderr))
            {
                await ReplayAsync(unix, corpus, ct);
            }

            using (var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(60) })
            {
                foreach (var expected in corpus)
                {
                    using var response = await http.PostAsync("/api/v1/rpc", new StringContent(expected.Line, Encoding.UTF8, "application/json"), ct);
                    Assert.True(HttpStatusCode.OK == response.StatusCode, expected.Line);
                    RunTestsCorpus.AssertAnswer(expected, (await response.Content.ReadAsStringAsync(ct)).TrimEnd('\n'));
                }
            }

            stop.Cancel();
            Assert.True(0 == await daemon.WaitAsync(ct), stderr.ToString());
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    /// <summary>Each line written as run_tests.sh writes it (one line, newline-terminated), its answer read before the next.</summary>
    private static async Task ReplayAsync(Stream stream, IReadOnlyList<RunTestsCorpus.Expected> corpus, CancellationToken ct)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
        foreach (var expected in corpus)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(expected.Line + "\n"), ct);
            RunTestsCorpus.AssertAnswer(expected, await reader.ReadLineAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(60), ct));
        }
    }

    /// <summary>
    /// The whole corpus in one write, as run_tests.sh's FIFO delivers it: the requests run concurrently, so answers
    /// come in any order; every line is answered once (the ids, with their types, are the ones sent) and exactly the
    /// lines that expect an error get one.
    /// </summary>
    private static async Task BurstAsync(Stream stream, IReadOnlyList<RunTestsCorpus.Expected> corpus, CancellationToken ct)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(string.Concat(corpus.Select(e => e.Line + "\n"))), ct);
        var answers = new List<System.Text.Json.Nodes.JsonObject>();
        for (var i = 0; i < corpus.Count; i++)
        {
            var line = await reader.ReadLineAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(120), ct);
            Assert.True(line is not null, $"{i} answers to {corpus.Count} requests");
            var answer = System.Text.Json.Nodes.JsonNode.Parse(line!)!.AsObject();
            Assert.Equal("2.0", (string?)answer["jsonrpc"]);
            Assert.True(answer.ContainsKey("result") != answer.ContainsKey("error"), line);
            answers.Add(answer);
        }

        static string IdText(System.Text.Json.Nodes.JsonNode? id) => id?.ToJsonString() ?? "null";
        Assert.Equal(corpus.Select(e => IdText(e.Id)).Order(), answers.Select(a => IdText(a["id"])).Order());
        Assert.Equal(
            corpus.Where(e => e.ErrorCode is not null).Select(e => e.ErrorCode!.Value).Order(),
            answers.Where(a => a.ContainsKey("error")).Select(a => (int)a["error"]!["code"]!).Order());
    }

    private static async Task WaitForContactAsync(Stream stream, string number, CancellationToken ct)
    {
        await using var _ = stream;
        using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
        for (var attempt = 0; ; attempt++)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","id":{{attempt}},"method":"listContacts"}""" + "\n"), ct);
            var answer = await reader.ReadLineAsync(ct);
            if (answer is not null && answer.Contains(number.TrimStart('+'), StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(100, ct);
        }
    }
}
