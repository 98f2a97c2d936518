using SignalSharp.Account.Sending;
using SignalSharp.Service;
using SignalSharp.Service.Api;

namespace SignalSharp.Account.Tests.Sending;

/// <summary>The server's refusals of a send (401, 413, 428) become errors that say what happened.</summary>
public sealed class SendFailuresTests
{
    [Fact]
    public void Rate_limit_428_names_the_challenge_and_says_to_wait()
    {
        Assert.True(SendFailures.TryExplain(new RateLimitChallengeException("tok", ["captcha"]), "+15550001", out var e));
        Assert.Contains("+15550001", e.Message);
        Assert.Contains("HTTP 428", e.Message);
        Assert.Contains("captcha", e.Message);
        Assert.Contains("wait", e.Message);
    }

    [Fact]
    public void Too_large_413_says_so()
    {
        Assert.True(SendFailures.TryExplain(new PayloadTooLargeException("PUT /v1/messages/x"), "alice", out var e));
        Assert.Contains("larger than the server accepts (HTTP 413)", e.Message);
    }

    [Fact]
    public void Unauthorized_401_says_the_device_may_be_unlinked()
    {
        Assert.True(SendFailures.TryExplain(new ServiceAuthenticationException("PUT /v1/messages/x: unauthorized (401)"), "alice", out var e));
        Assert.Contains("HTTP 401", e.Message);
        Assert.Contains("unlinked", e.Message);
    }

    [Fact]
    public void Other_failures_are_left_to_the_caller()
    {
        Assert.False(SendFailures.TryExplain(new UnexpectedResponseException("PUT /v1/messages/x", 500, "boom"), "alice", out _));
        Assert.False(SendFailures.TryExplain(new UnregisteredRecipientException("x"), "alice", out _));
    }
}
