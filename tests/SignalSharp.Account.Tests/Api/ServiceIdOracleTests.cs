using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Interop.Testing;

namespace SignalSharp.Account.Tests.Api;

/// <summary>
/// The service id against libsignal's <c>ServiceId</c> (interop/oracle/serviceid.mjs): the same strings and bytes
/// are accepted and refused, and what is accepted has the same kind, string and both binary forms.
/// </summary>
public sealed class ServiceIdOracleTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    private const string Uuid = "0c9d2d1e-55aa-4b7c-9a1b-1234567890ab";

    public static TheoryData<string> Strings =>
    [
        Uuid, Uuid.ToUpperInvariant(), "PNI:" + Uuid, "PNI:" + Uuid.ToUpperInvariant(), "00000000-0000-0000-0000-000000000000",
        "pni:" + Uuid, "ACI:" + Uuid, Uuid.Replace("-", "", StringComparison.Ordinal), "{" + Uuid + "}", " " + Uuid, "PNI:", "", "urn:uuid:" + Uuid,
    ];

    [Theory]
    [MemberData(nameof(Strings))]
    public async Task A_string_is_accepted_exactly_when_libsignal_accepts_it_and_then_reads_the_same(string text)
    {
        var oracle = await fixture.GetAsync();
        JsonNode? theirs;
        try
        {
            theirs = await oracle.CallAsync("serviceId.fromString", new JsonObject { ["text"] = text });
        }
        catch (OracleException)
        {
            theirs = null;
        }

        Assert.Equal(theirs is not null, ServiceId.TryParse(text, out var ours));
        if (theirs is not null)
        {
            AssertSame(theirs, ours);
        }
    }

    [Fact]
    public async Task Random_service_ids_have_libsignals_forms()
    {
        var oracle = await fixture.GetAsync();
        for (var i = 0; i < 16; i++)
        {
            var ours = ServiceId.Of(i % 2 == 0 ? ServiceIdKind.Aci : ServiceIdKind.Pni, Guid.NewGuid());
            AssertSame((await oracle.CallAsync("serviceId.fromString", new JsonObject { ["text"] = ours.ToString() }))!, ours);
        }
    }

    [Theory]
    [InlineData(16, -1)]
    [InlineData(17, 0)]
    [InlineData(17, 1)]
    [InlineData(17, 2)]
    [InlineData(15, -1)]
    public async Task Bytes_are_accepted_exactly_when_libsignal_accepts_them(int length, int typeByte)
    {
        var oracle = await fixture.GetAsync();
        var bytes = Enumerable.Range(0, length).Select(i => (byte)(0x11 * (i % 15 + 1))).ToArray();
        if (typeByte >= 0)
        {
            bytes[0] = (byte)typeByte;
        }

        foreach (var fixedWidth in new[] { false, true })
        {
            string? theirs;
            try
            {
                theirs = (await oracle.CallAsync("serviceId.fromBinary", new JsonObject
                {
                    ["bytes"] = Convert.ToBase64String(bytes),
                    ["fixedWidth"] = fixedWidth,
                }))!.GetValue<string>();
            }
            catch (OracleException)
            {
                theirs = null;
            }

            var accepted = fixedWidth ? ServiceId.TryParseFixedWidthBinary(bytes, out var ours) : ServiceId.TryParseBinary(bytes, out ours);
            Assert.Equal((fixedWidth, theirs is not null), (fixedWidth, accepted));
            Assert.Equal(theirs, accepted ? ours.ToString() : null);
        }
    }

    private static void AssertSame(JsonNode theirs, ServiceId ours)
    {
        Assert.Equal(theirs["kind"]!.GetValue<string>(), ours.IsPni ? "pni" : "aci");
        Assert.Equal(theirs["text"]!.GetValue<string>(), ours.ToString());
        Assert.Equal(theirs["binary"]!.GetValue<string>(), Convert.ToBase64String(ours.ToBinary()));
        Assert.Equal(theirs["fixedWidth"]!.GetValue<string>(), Convert.ToBase64String(ours.ToFixedWidthBinary()));
    }
}
