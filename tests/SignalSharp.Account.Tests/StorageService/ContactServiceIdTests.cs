using Google.Protobuf;
using SignalSharp.Account.StorageService;

namespace SignalSharp.Account.Tests.StorageService;

/// <summary>Contact records name their ACI and PNI in binary (fields 25, 26) or, as older clients wrote them, as strings (1, 15).</summary>
public sealed class ContactServiceIdTests
{
    private static readonly Guid Id = Guid.Parse("4fcfe887-a600-40cd-9ab7-fd2a695e9981");

    [Theory]
    [InlineData("4fcfe887-a600-40cd-9ab7-fd2a695e9981")]
    [InlineData("PNI:4fcfe887-a600-40cd-9ab7-fd2a695e9981")]
    public void The_string_form_alone_is_read(string text) =>
        Assert.Equal(Id, StorageReader.ServiceId(ByteString.Empty, text));

    [Fact]
    public void The_binary_form_wins_over_the_string()
    {
        var binary = ByteString.CopyFrom(Id.ToByteArray(bigEndian: true));

        Assert.Equal(Id, StorageReader.ServiceId(binary, Guid.NewGuid().ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-uuid")]
    public void Neither_form_is_no_id(string text) => Assert.Null(StorageReader.ServiceId(ByteString.Empty, text));
}
