using SignalSharp.Service.Groups;

namespace SignalSharp.Service.Tests.Groups;

/// <summary>The group server's range on a partial change log (<c>versions {first}-{last}/{current}</c>, as Signal-Server writes it).</summary>
public sealed class GroupLogRangeTests
{
    [Fact]
    public void Reads_the_servers_versions_range()
    {
        Assert.Equal(new GroupLogRange(5, 68, 200), GroupLogRange.Parse("versions 5-68/200"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("bytes 5-68/200")]
    [InlineData("versions 68-5/200")]
    [InlineData("versions 5-68")]
    [InlineData("versions -5-68/200")]
    [InlineData("versions 5-/200")]
    [InlineData("versions 5-68/x")]
    [InlineData("versions 5-99999999999/200")]
    public void Anything_else_is_no_range(string? header)
    {
        Assert.Null(GroupLogRange.Parse(header));
    }
}
