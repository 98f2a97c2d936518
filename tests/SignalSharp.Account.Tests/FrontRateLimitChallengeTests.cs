using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Account.Storage;
using SignalSharp.Account.Tests.Groups;
using SignalSharp.Interop.Testing;

namespace SignalSharp.Account.Tests;

/// <summary>
/// Issue 12 item 8 through the production-style front: a send the server rate-limits (428) surfaces its challenge
/// token, and the answer (signal-cli's submitRateLimitChallenge) reaches the server as production's ChallengeController
/// reads it: <c>PUT /v1/challenge</c> with type "captcha", the token and the captcha without its
/// <c>signalcaptcha://</c> scheme (the front checks the shape, the mock answers).
/// </summary>
public sealed class FrontRateLimitChallengeTests
{
    [Fact]
    public async Task A_rate_limited_send_names_the_challenge_token_and_the_answer_reaches_the_server_as_production_reads_it()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartWithFrontAsync("Alice", ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-front-challenge-").FullName;
        try
        {
            var (record, aliceAci, target) = await LinkAsync(mock, config, ct);
            var directory = AccountDirectory.For(config, record.Name);

            string token;
            await using (var account = (await LinkedAccount.OpenAsync(directory, cancellationToken: ct))!)
            {
                await account.StartAsync(ct);
                // The mock rate-limits authenticated sends only: without Alice's profile key the send cannot go sealed.
                var alice = await account.Database.Recipients.GetOrCreateByAciAsync(aliceAci, ct);
                await account.Database.Recipients.SetProfileKeyAsync(alice.Id, null, ct);
                await mock.CommandAsync("rateLimit", new JsonObject { ["source"] = record.Aci.ToString(), ["target"] = "alice" }, ct);

                var refused = await Assert.ThrowsAsync<SendFailedException>(() => account.SendMessageAsync(target, new OutgoingMessage("limited", []), ct));
                Assert.Contains("HTTP 428", refused.Message);
                token = Assert.IsType<string>(refused.RateLimitChallengeToken);
                Assert.Contains($"submit-rate-limit-challenge {token} CAPTCHA", refused.Message);
            }

            // Answered with the account closed: the answer logs in on its own, and in production a second login of
            // the same device displaces the first (close code 4409), which would stop a running account.
            await RateLimitChallenge.SubmitAsync(directory, token, "signalcaptcha://signal-hcaptcha.solved.challenge.abc", cancellationToken: ct);

            var answer = Assert.Single((await mock.CommandAsync("frontChallenges", null, ct))!.AsArray())!;
            Assert.Equal("captcha", answer["type"]!.GetValue<string>());
            Assert.Equal(token, answer["token"]!.GetValue<string>());
            Assert.Equal("signal-hcaptcha.solved.challenge.abc", answer["captcha"]!.GetValue<string>());
            Assert.Equal(200, answer["status"]!.GetValue<int>());

            // The server lifts the limit (the mock does it on command); the same send goes through.
            await mock.CommandAsync("stopRateLimiting", new JsonObject { ["source"] = record.Aci.ToString(), ["target"] = "alice" }, ct);
            await using (var account = (await LinkedAccount.OpenAsync(directory, cancellationToken: ct))!)
            {
                await account.StartAsync(ct);
                await account.SendMessageAsync(target, new OutgoingMessage("after the challenge", []), ct);
                Assert.Equal("after the challenge", (await mock.WaitForDataMessageAsync("alice", ct))["body"]!.GetValue<string>());
            }
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    // The running account (a daemon's) answers on its own socket: a second login would displace it (4409).
    [Fact]
    public async Task A_running_account_answers_the_challenge_on_its_own_socket_without_a_second_login()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartWithFrontAsync("Alice", ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-front-challenge-").FullName;
        try
        {
            var (record, aliceAci, target) = await LinkAsync(mock, config, ct);
            await using var account = (await LinkedAccount.OpenAsync(AccountDirectory.For(config, record.Name), cancellationToken: ct))!;
            await account.StartAsync(ct);
            var alice = await account.Database.Recipients.GetOrCreateByAciAsync(aliceAci, ct);
            await account.Database.Recipients.SetProfileKeyAsync(alice.Id, null, ct);
            await mock.CommandAsync("rateLimit", new JsonObject { ["source"] = record.Aci.ToString(), ["target"] = "alice" }, ct);
            var refused = await Assert.ThrowsAsync<SendFailedException>(() => account.SendMessageAsync(target, new OutgoingMessage("limited", []), ct));
            var token = Assert.IsType<string>(refused.RateLimitChallengeToken);

            await account.SubmitRateLimitChallengeAsync(token, "signalcaptcha://signal-hcaptcha.solved.challenge.def", ct);

            var answer = Assert.Single((await mock.CommandAsync("frontChallenges", null, ct))!.AsArray())!;
            Assert.Equal(token, answer["token"]!.GetValue<string>());
            Assert.Equal("signal-hcaptcha.solved.challenge.def", answer["captcha"]!.GetValue<string>());
            Assert.Equal(200, answer["status"]!.GetValue<int>());
            Assert.Equal(0, (await mock.FrontStatsAsync(ct))["displaced"]!.GetValue<int>());

            // Still the same account, still served: once the limit is lifted its next send goes through.
            await mock.CommandAsync("stopRateLimiting", new JsonObject { ["source"] = record.Aci.ToString(), ["target"] = "alice" }, ct);
            await account.SendMessageAsync(target, new OutgoingMessage("after the challenge", []), ct);
            Assert.Equal("after the challenge", (await mock.WaitForDataMessageAsync("alice", ct))["body"]!.GetValue<string>());
            Assert.False(account.Stopped.IsCompleted);
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    private static async Task<(AccountRecord Record, Guid AliceAci, RecipientTarget Alice)> LinkAsync(MockServer mock, string config, CancellationToken ct)
    {
        var (record, _) = await LinkedMock.LinkAsync(mock, config, front: true, "phone", ct);
        var aliceAci = Guid.Parse(mock.Contact("alice")["aci"]!.GetValue<string>());
        return (record, aliceAci, new RecipientTarget(RecipientAddress.Aci(new Aci(aliceAci))));
    }
}
