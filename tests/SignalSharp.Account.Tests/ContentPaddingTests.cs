using SignalSharp.Account.Messages;

namespace SignalSharp.Account.Tests;

public sealed class ContentPaddingTests
{
    [Theory]
    [InlineData(0, 160)]
    [InlineData(159, 160)]
    [InlineData(160, 320)]
    public void Pads_to_blocks_of_160_and_strips_back(int length, int paddedLength)
    {
        var content = Enumerable.Range(0, length).Select(i => (byte)(i % 7 + 1)).ToArray();
        var padded = ContentPadding.Pad(content);
        Assert.Equal(paddedLength, padded.Length);
        Assert.Equal(content, ContentPadding.Strip(padded).ToArray());
    }

    [Fact]
    public void Accepts_the_mock_s_terminator_without_zeros_and_refuses_a_missing_one()
    {
        Assert.Equal(new byte[] { 1, 2 }, ContentPadding.Strip(new byte[] { 1, 2, 0x80 }).ToArray());
        Assert.Throws<FormatException>(() => ContentPadding.Strip(new byte[] { 1, 2, 0, 0 }).ToArray());
    }
}
