using System.Net;
using SignalSharp.Cli.Accounts;
using SignalSharp.Cli.Hosting;

namespace SignalSharp.Cli.Tests;

public sealed class ParserTests
{
    [Theory]
    [InlineData(null, "127.0.0.1", 6789)]
    [InlineData("", "127.0.0.1", 6789)]
    [InlineData("127.0.0.1:6789", "127.0.0.1", 6789)]
    [InlineData("localhost:7583", "127.0.0.1", 7583)]
    [InlineData("0.0.0.0:1234", "0.0.0.0", 1234)]
    [InlineData("[::1]:6789", "::1", 6789)]
    [InlineData("[::]", "::", 6789)]
    [InlineData("::1", "::1", 6789)]
    [InlineData("10.1.2.3", "10.1.2.3", 6789)]
    [InlineData(":5000", "127.0.0.1", 5000)]
    [InlineData("5000", "127.0.0.1", 5000)]
    [InlineData("127.0.0.1:0", "127.0.0.1", 0)]
    public void Tcp_addresses(string? text, string address, int port)
    {
        Assert.True(EndPointParser.TryParse(text, out var endPoint, out var error), error);
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), endPoint);
    }

    [Theory]
    [InlineData("127.0.0.1:99999")]
    [InlineData("127.0.0.1:port")]
    [InlineData("127.0.0.1:-1")]
    [InlineData("[::1")]
    [InlineData("[::1]x")]
    [InlineData("no-such-host.invalid:80")]
    public void Bad_tcp_addresses(string text)
    {
        Assert.False(EndPointParser.TryParse(text, out _, out var error));
        Assert.Contains(text, error);
    }

    [Theory]
    [InlineData("134217728", 134217728L)]
    [InlineData("128M", 128L << 20)]
    [InlineData("128MiB", 128L << 20)]
    [InlineData("64k", 64L << 10)]
    [InlineData("1G", 1L << 30)]
    [InlineData("100B", 100L)]
    public void Sizes(string text, long bytes)
    {
        Assert.True(ByteSizeParser.TryParse(text, out var parsed));
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("lots")]
    [InlineData("9999999999999G")]
    public void Bad_sizes(string text) => Assert.False(ByteSizeParser.TryParse(text, out _));

    [Fact]
    public void Config_directory_prefers_the_option_then_XDG_DATA_HOME_then_home()
    {
        var env = new Dictionary<string, string?> { ["XDG_DATA_HOME"] = "/xdg/data", ["HOME"] = "/home/u" };
        Assert.Equal("/given", ConfigDirectory.Resolve("/given", k => env.GetValueOrDefault(k)));
        Assert.Equal("/xdg/data/signal-sharp", ConfigDirectory.Resolve(null, k => env.GetValueOrDefault(k)));
        env["XDG_DATA_HOME"] = "relative/is/ignored";
        Assert.Equal("/home/u/.local/share/signal-sharp", ConfigDirectory.Resolve(null, k => env.GetValueOrDefault(k)));
        env["XDG_DATA_HOME"] = "";
        Assert.Equal("/home/u/.local/share/signal-sharp", ConfigDirectory.Resolve(null, k => env.GetValueOrDefault(k)));
    }
}
