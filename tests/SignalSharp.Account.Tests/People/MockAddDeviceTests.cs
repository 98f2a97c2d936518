using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Account.Linking;
using SignalSharp.Account.Storage;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Account.Tests.People;

/// <summary>
/// addDevice against Signal's mock: a SignalSharp primary (registered with register/verify) links a second
/// SignalSharp device from the URI that device shows. The new device decrypts the provision message (our sealing,
/// its opening), links itself with the code through the mock's own PUT /v1/devices/link, and sends a text Alice's
/// libsignal decrypts as coming from device 2 of the primary's account. The mock lacks the primary's two routes;
/// interop/mock/provisioning.mjs serves them.
/// </summary>
public sealed class MockAddDeviceTests
{
    [Fact]
    public async Task A_primary_links_a_second_device_that_then_sends_as_the_same_account()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync("Alice", ct);
        using var registeredPrimary = await RegisteredPrimary.CreateAsync(mock, ct);
        var secondConfig = Directory.CreateTempSubdirectory("signalsharp-second-").FullName;
        try
        {
            var number = registeredPrimary.Number;
            var registered = registeredPrimary.Record;
            await using var primary = await registeredPrimary.OpenAsync(ct);
            await primary.StartAsync(ct);

            var linked = await registeredPrimary.LinkSecondDeviceAsync(primary, secondConfig, ct);

            Assert.Equal(registered.Aci, linked.Aci);
            Assert.Equal(registered.Pni, linked.Pni);
            Assert.Equal(number, linked.Number);
            Assert.Equal(2u, linked.DeviceId);
            Assert.Equal(registered.ProfileKey, linked.ProfileKey);
            Assert.Equal(registered.MasterKey, linked.MasterKey);
            Assert.Equal([1u, 2u], (await primary.People.ListDevicesAsync(ct)).Select(d => d.Id));

            await using var second = (await LinkedAccount.OpenAsync(AccountDirectory.For(secondConfig, number), cancellationToken: ct))!;
            await second.StartAsync(ct);
            var alice = Guid.Parse(mock.Contact("alice")["aci"]!.GetValue<string>());
            var sent = await second.SendMessageAsync(new RecipientTarget(RecipientAddress.Aci(new Aci(alice))), new OutgoingMessage("from the added device", []), ct);
            Assert.True(sent.Timestamp > 0);
            var atAlice = (await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice" }, ct))!;
            Assert.Equal("from the added device", (string?)atAlice["body"]);
            Assert.Equal(registered.Aci.ToString(), (string?)atAlice["source"]!["aci"]);
            Assert.Equal(2, (int)atAlice["source"]!["deviceId"]!);

            // A link URI whose device is gone, and one that is not a link at all, are refused as such.
            var gone = await Assert.ThrowsAsync<InvalidPeopleRequestException>(() =>
                primary.People.AddDeviceAsync("sgnl://linkdevice?uuid=nobody-waits&pub_key=" + Uri.EscapeDataString(Convert.ToBase64String(NewPublicKey())), ct));
            Assert.Contains("no longer waiting", gone.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<InvalidPeopleRequestException>(() => primary.People.AddDeviceAsync("https://example.org/", ct));
            // A linked device cannot link others.
            await Assert.ThrowsAsync<InvalidPeopleRequestException>(() => second.People.AddDeviceAsync("sgnl://linkdevice?uuid=x&pub_key=" + Uri.EscapeDataString(Convert.ToBase64String(NewPublicKey())), ct));
        }
        finally
        {
            try
            {
                Directory.Delete(secondConfig, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static byte[] NewPublicKey() => Crypto.ECPrivateKey.Generate().GetPublicKey().Serialize();
}
