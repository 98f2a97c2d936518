using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Account.Tests.Everyday;
using static SignalSharp.Account.Tests.Everyday.EverydayMockFixture;

namespace SignalSharp.Account.Tests.People;

/// <summary>
/// The account's devices against the mock's device registry (the list and removal routes, which the mock lacks,
/// are served by the harness from the mock's own registry and the link requests it parsed): our name reads back
/// decrypted, a removed device is gone from the mock, the primary cannot be removed.
/// </summary>
public sealed class MockDeviceTests(EverydayMockFixture mock) : IClassFixture<EverydayMockFixture>
{
    [Fact]
    public async Task ListDevices_names_our_device_as_we_linked_it_and_removeDevice_unlinks_another()
    {
        var ct = Timeout();
        var people = mock.Linked.Account.People;
        var extra = (await mock.Linked.Mock.CommandAsync("createSecondary", new JsonObject { ["of"] = "phone" }, ct))!["deviceId"]!.GetValue<uint>();

        var devices = await people.ListDevicesAsync(ct);
        var ours = Assert.Single(devices, d => d.IsThisDevice);
        Assert.Equal(mock.Linked.Account.Record.DeviceId, ours.Id);
        Assert.Equal("SignalSharp test", ours.Name);
        Assert.Null(Assert.Single(devices, d => d.Id == 1).Name);
        Assert.Contains(devices, d => d.Id == extra);

        await people.RemoveDeviceAsync(extra, ct);

        var left = (await mock.Linked.Mock.CommandAsync("devicesOf", new JsonObject { ["of"] = "phone" }, ct))!.AsArray().Select(d => d!.GetValue<uint>()).ToList();
        Assert.DoesNotContain(extra, left);
        Assert.Contains(ours.Id, left);
        Assert.DoesNotContain(await people.ListDevicesAsync(ct), d => d.Id == extra);
        await Assert.ThrowsAnyAsync<Service.ServiceException>(() => people.RemoveDeviceAsync(1, ct));
    }
}
