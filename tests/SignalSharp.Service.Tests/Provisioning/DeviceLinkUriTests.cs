using SignalSharp.Service.Provisioning;

namespace SignalSharp.Service.Tests.Provisioning;

/// <summary>
/// Reading the link URI a new device shows (what addDevice is given): its address and 33-byte key, with the key
/// percent-encoded as SignalSharp and Signal's apps write it, or in URL-safe base64; anything else is refused.
/// </summary>
public sealed class DeviceLinkUriTests
{
    [Fact]
    public void Reads_the_address_and_key_of_a_uri_a_new_device_shows()
    {
        using var session = ProvisioningSession.Create();
        var parsed = DeviceLinkUri.Parse(session.LinkUri("0d7c1f62-5e0a-4a8e-9c39-1b2a3c4d5e6f").OriginalString);
        Assert.Equal("0d7c1f62-5e0a-4a8e-9c39-1b2a3c4d5e6f", parsed.Address);
        Assert.Equal(session.PublicKey, parsed.PublicKey);

        var urlSafe = Convert.ToBase64String(session.PublicKey).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Equal(session.PublicKey, DeviceLinkUri.Parse($"sgnl://linkdevice?uuid=abc&pub_key={urlSafe}&capabilities=backup").PublicKey);
    }

    [Theory]
    [InlineData("https://signal.org/?uuid=abc&pub_key=BQ")]
    [InlineData("sgnl://linkdevice?pub_key=BQ")]
    [InlineData("sgnl://linkdevice?uuid=abc&pub_key=not*base64")]
    [InlineData("sgnl://linkdevice?uuid=abc&pub_key=BQAA")]
    [InlineData("not a uri")]
    public void Refuses_what_is_not_a_usable_link(string text) => Assert.Throws<FormatException>(() => DeviceLinkUri.Parse(text));

    [Fact]
    public void A_sealed_provision_message_opens_with_the_new_devices_key_only()
    {
        using var session = ProvisioningSession.Create();
        using var stranger = ProvisioningSession.Create();
        var data = new ProvisionData
        {
            Aci = Guid.NewGuid(),
            Pni = Guid.NewGuid(),
            Number = "+15550001111",
            ProvisioningCode = "code-1",
            AciIdentity = new IdentityKeyMaterial(Crypto.ECPrivateKey.Generate().GetPublicKey().Serialize(), new byte[32]),
            PniIdentity = null,
            ProfileKey = new byte[32],
            MasterKey = Enumerable.Repeat((byte)7, 32).ToArray(),
            ReadReceipts = true,
            ProvisioningVersion = ProvisionSealer.CurrentProvisioningVersion,
        };

        var envelope = ProvisionSealer.Seal(data, session.PublicKey);

        var opened = session.Decrypt(envelope);
        Assert.Equal((data.Aci, data.Pni, data.Number, data.ProvisioningCode, true, 1u), (opened.Aci, opened.Pni, opened.Number, opened.ProvisioningCode, opened.ReadReceipts, opened.ProvisioningVersion));
        Assert.Equal(data.MasterKey, opened.MasterKey);
        Assert.Equal(data.AciIdentity.PublicKey, opened.AciIdentity.PublicKey);
        Assert.Null(opened.PniIdentity);
        Assert.Throws<ServiceProtocolException>(() => stranger.Decrypt(envelope));
    }
}
