using SignalSharp.Cli.Hosting;

namespace SignalSharp.Cli.Tests.Hosting;

/// <summary>`--keep-delivered`'s durations: a bare number is seconds, one unit letter, nothing negative or fractional.</summary>
public sealed class DurationParserTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("90", 90)]
    [InlineData("90s", 90)]
    [InlineData("10m", 600)]
    [InlineData("10M", 600)]
    [InlineData("2h", 7200)]
    [InlineData(" 7d ", 604_800)]
    public void Durations_are_read(string text, long seconds)
    {
        Assert.True(DurationParser.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("m")]
    [InlineData("-1m")]
    [InlineData("1.5h")]
    [InlineData("10w")]
    [InlineData("1e3")]
    [InlineData("99999999999d")]
    public void Anything_else_is_refused(string text) => Assert.False(DurationParser.TryParse(text, out _));
}
