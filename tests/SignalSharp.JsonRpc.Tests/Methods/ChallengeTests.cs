using SignalSharp.JsonRpc.Tests.Support;

namespace SignalSharp.JsonRpc.Tests.Methods;

/// <summary>submitRateLimitChallenge with signal-cli's parameters (challenge, captcha) and error code for a refused captcha.</summary>
public sealed class ChallengeTests
{
    [Fact]
    public async Task SubmitRateLimitChallenge_hands_the_token_and_captcha_to_the_account()
    {
        await using var harness = new Harness();
        Assert.Equal("""{"jsonrpc":"2.0","result":{},"id":1}""", await harness.AskAsync(
            """{"jsonrpc":"2.0","method":"submitRateLimitChallenge","params":{"challenge":"tok","captcha":"signalcaptcha://cap"},"id":1}"""));
        Assert.Equal([("tok", "signalcaptcha://cap")], harness.Fake.Challenges);
    }

    [Fact]
    public async Task A_refused_captcha_answers_signal_clis_captcha_rejected_code()
    {
        await using var harness = new Harness();
        harness.Fake.RefusesChallenges = true;
        var error = JsonLine.Parse(await harness.AskAsync(
            """{"jsonrpc":"2.0","method":"submitRateLimitChallenge","params":{"challenge":"tok","captcha":"cap"},"id":1}"""))["error"]!;
        Assert.Equal(-6, (int)error["code"]!);
    }

    [Theory]
    [InlineData("""{"captcha":"cap"}""", "Missing parameter challenge")]
    [InlineData("""{"challenge":"tok"}""", "Missing parameter captcha")]
    public async Task A_missing_parameter_is_invalid_params(string parameters, string message)
    {
        await using var harness = new Harness();
        var error = JsonLine.Parse(await harness.AskAsync($$"""{"jsonrpc":"2.0","method":"submitRateLimitChallenge","params":{{parameters}},"id":1}"""))["error"]!;
        Assert.Equal(-32602, (int)error["code"]!);
        Assert.Equal(message, (string)error["message"]!);
        Assert.Empty(harness.Fake.Challenges);
    }
}
