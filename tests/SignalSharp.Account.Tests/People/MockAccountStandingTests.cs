using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Account.Tests.Everyday;
using static SignalSharp.Account.Tests.Everyday.EverydayMockFixture;

namespace SignalSharp.Account.Tests.People;

/// <summary>
/// signal-cli's updateAccount --device-name, sendContacts and getUserStatus against the mock: the new name is the one
/// the server lists for our device (the harness serves PUT /v1/accounts/name from the mock's registry), the phone
/// downloads and decodes the contact list we send with Signal's protos, and registration is what the server says.
/// </summary>
public sealed class MockAccountStandingTests(EverydayMockFixture mock) : IClassFixture<EverydayMockFixture>
{
    [Fact]
    public async Task SetDeviceName_is_the_name_the_server_lists_for_this_device()
    {
        var ct = Timeout();
        var people = mock.Linked.Account.People;

        await people.SetDeviceNameAsync("  Kitchen bot 🤖 ", ct);

        var ours = Assert.Single(await people.ListDevicesAsync(ct), d => d.IsThisDevice);
        Assert.Equal("Kitchen bot 🤖", ours.Name);
        await Assert.ThrowsAsync<InvalidPeopleRequestException>(() => people.SetDeviceNameAsync(new string('x', 101), ct));
        await Assert.ThrowsAsync<InvalidPeopleRequestException>(() => people.SetDeviceNameAsync(" ", ct));
        Assert.Equal("Kitchen bot 🤖", Assert.Single(await people.ListDevicesAsync(ct), d => d.IsThisDevice).Name);
    }

    [Fact]
    public async Task SendContacts_gives_the_phone_the_contact_list_with_names_and_ourselves()
    {
        var ct = Timeout();
        var people = mock.Linked.Account.People;
        await people.UpdateContactNameAsync(Address(mock.NumberOf("alice")), "Alice from the test", ct);

        await people.SendContactsAsync(ct);

        var sync = (await mock.Linked.Mock.CommandAsync("waitForContactSync", new JsonObject { ["at"] = "phone" }, ct))!;
        Assert.Equal(mock.OwnAci.ToString(), (string)sync["source"]!["aci"]!);
        Assert.True((bool)sync["complete"]!);
        var contacts = sync["contacts"]!.AsArray().Select(c => c!.AsObject()).ToList();
        var alice = Assert.Single(contacts, c => (string?)c["aci"] == mock.AciOf("alice").ToString());
        Assert.Equal(mock.NumberOf("alice"), (string?)alice["number"]);
        Assert.Equal("Alice from the test", (string?)alice["name"]);
        var bob = Assert.Single(contacts, c => (string?)c["aci"] == mock.AciOf("bob").ToString());
        Assert.Equal(mock.NumberOf("bob"), (string?)bob["number"]);
        var self = Assert.Single(contacts, c => (string?)c["aci"] == mock.OwnAci.ToString());
        Assert.Equal(mock.OwnNumber, (string?)self["number"]);
    }

    [Fact]
    public async Task GetUserStatus_is_what_the_server_says_of_known_numbers_and_service_ids_and_refuses_unknown_numbers()
    {
        var ct = Timeout();
        var people = mock.Linked.Account.People;
        var alice = mock.AciOf("alice");
        var bob = mock.AciOf("bob");

        var statuses = await people.GetUserStatusAsync([Address(mock.NumberOf("alice")), Address(bob.ToString())], ct);
        Assert.Equal(new UserStatus(Address(mock.NumberOf("alice")), mock.NumberOf("alice"), alice, true), statuses[0]);
        Assert.Equal(new UserStatus(Address(bob.ToString()), mock.NumberOf("bob"), bob, true), statuses[1]);

        await mock.Linked.Mock.CommandAsync("setRegistered", new JsonObject { ["name"] = "bob", ["registered"] = false }, ct);
        try
        {
            var gone = Assert.Single(await people.GetUserStatusAsync([Address(mock.NumberOf("bob"))], ct));
            Assert.Equal(new UserStatus(Address(mock.NumberOf("bob")), mock.NumberOf("bob"), null, false), gone);
        }
        finally
        {
            await mock.Linked.Mock.CommandAsync("setRegistered", new JsonObject { ["name"] = "bob", ["registered"] = true }, ct);
        }

        var refused = await Assert.ThrowsAsync<DirectoryLookupUnavailableException>(
            () => people.GetUserStatusAsync([Address(mock.NumberOf("alice")), Address("+4915199999999")], ct));
        Assert.Equal(["+4915199999999"], refused.Numbers);
    }
}
