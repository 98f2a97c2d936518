using CsCheck;
using SignalSharp.Account.Api;

namespace SignalSharp.Account.Tests.Api;

/// <summary>The service id's own rules: every form reads back what was written; what is not a form does not read.</summary>
public sealed class ServiceIdTests
{
    private const string Uuid = "0c9d2d1e-55aa-4b7c-9a1b-1234567890ab";

    private static readonly Gen<ServiceId> AnyServiceId =
        Gen.Select(Gen.Guid, Gen.Bool).Select((uuid, pni) => ServiceId.Of(pni ? ServiceIdKind.Pni : ServiceIdKind.Aci, uuid));

    [Fact]
    public void Every_form_reads_back_the_same_service_id() =>
        AnyServiceId.Sample(id =>
        {
            Assert.Equal(id, ServiceId.Parse(id.ToString()));
            Assert.Equal(id, ServiceId.Parse(id.ToString().ToUpperInvariant()));
            Assert.True(ServiceId.TryParseFixedWidthBinary(id.ToFixedWidthBinary(), out var fromFixed));
            Assert.Equal(id, fromFixed);
            Assert.True(ServiceId.TryParseBinary(id.ToBinary(), out var fromShort));
            Assert.Equal(id, fromShort);
        });

    [Fact]
    public void The_string_is_the_lower_case_uuid_prefixed_PNI_for_a_pni() =>
        Gen.Guid.Sample(uuid =>
        {
            Assert.Equal(uuid.ToString("D"), ServiceId.Of(ServiceIdKind.Aci, uuid).ToString());
            Assert.Equal("PNI:" + uuid.ToString("D"), ServiceId.Of(ServiceIdKind.Pni, uuid).ToString());
            Assert.Equal(uuid.ToString("D"), new Aci(uuid).ToString());
            Assert.Equal("PNI:" + uuid.ToString("D"), new Pni(uuid).ToString());
        });

    [Fact]
    public void The_fixed_width_form_is_the_type_byte_then_the_big_endian_uuid_and_the_short_form_drops_an_acis_type_byte() =>
        Gen.Guid.Sample(uuid =>
        {
            var bigEndian = uuid.ToByteArray(bigEndian: true);
            Assert.Equal([0, .. bigEndian], ServiceId.Of(ServiceIdKind.Aci, uuid).ToFixedWidthBinary());
            Assert.Equal([1, .. bigEndian], ServiceId.Of(ServiceIdKind.Pni, uuid).ToFixedWidthBinary());
            Assert.Equal(bigEndian, ServiceId.Of(ServiceIdKind.Aci, uuid).ToBinary());
            Assert.Equal([1, .. bigEndian], ServiceId.Of(ServiceIdKind.Pni, uuid).ToBinary());
        });

    [Fact]
    public void Arbitrary_text_either_does_not_parse_or_is_a_service_id_string_in_some_case() =>
        Gen.OneOf(Gen.String, Gen.Char["0123456789abcdefABCDEF-PNI:"].Array[30, 42].Select(c => new string(c))).Sample(text =>
        {
            if (ServiceId.TryParse(text, out var id))
            {
                Assert.Equal(id.ToString(), id.IsPni ? "PNI:" + text[4..].ToLowerInvariant() : text.ToLowerInvariant());
            }
        });

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ACI:" + Uuid)]
    [InlineData("pni:" + Uuid)]
    [InlineData("0c9d2d1e55aa4b7c9a1b1234567890ab")]
    [InlineData("{" + Uuid + "}")]
    [InlineData(" " + Uuid)]
    [InlineData(Uuid + " ")]
    [InlineData("PNI:")]
    [InlineData("PNI:PNI:" + Uuid)]
    public void What_is_not_a_service_id_string_does_not_parse(string? text)
    {
        Assert.False(ServiceId.TryParse(text, out _));
        Assert.False(Aci.TryParse(text, out _));
        Assert.False(Pni.TryParse(text, out _));
    }

    [Fact]
    public void An_aci_is_not_a_pni_and_the_kinds_parse_apart()
    {
        var uuid = Guid.Parse(Uuid);

        Assert.NotEqual((ServiceId)new Aci(uuid), (ServiceId)new Pni(uuid));
        Assert.Equal(new Aci(uuid), Aci.Parse(Uuid));
        Assert.Equal(new Pni(uuid), Pni.Parse("PNI:" + Uuid));
        Assert.False(Aci.TryParse("PNI:" + Uuid, out _));
        Assert.False(Pni.TryParse(Uuid, out _));
        Assert.Throws<FormatException>(() => ServiceId.Parse("ACI:" + Uuid));
        Assert.Throws<ArgumentOutOfRangeException>(() => ServiceId.Of((ServiceIdKind)2, uuid));
    }

    [Theory]
    [InlineData(15, -1)]
    [InlineData(17, 0)]
    [InlineData(17, 2)]
    [InlineData(18, 1)]
    public void Bytes_of_the_wrong_length_or_type_are_no_short_binary(int length, int typeByte)
    {
        var bytes = new byte[length];
        if (typeByte >= 0)
        {
            bytes[0] = (byte)typeByte;
        }

        Assert.False(ServiceId.TryParseBinary(bytes, out _));
    }

    [Theory]
    [InlineData(16, 0)]
    [InlineData(17, 2)]
    [InlineData(18, 0)]
    public void Bytes_of_the_wrong_length_or_type_are_no_fixed_width_binary(int length, int typeByte)
    {
        var bytes = new byte[length];
        bytes[0] = (byte)typeByte;

        Assert.False(ServiceId.TryParseFixedWidthBinary(bytes, out _));
    }
}
