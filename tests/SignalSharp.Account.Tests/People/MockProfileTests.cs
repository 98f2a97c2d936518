using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Account.Tests.Everyday;
using SignalSharp.Store.Profiles;
using static SignalSharp.Account.Tests.Everyday.EverydayMockFixture;

namespace SignalSharp.Account.Tests.People;

/// <summary>
/// Contacts' profiles against the mock: the profile key a contact's message carries opens the versioned profile the
/// mock serves (names encrypted by the mock itself, unpadded, or by the harness as Signal's apps pad them), a new key
/// makes the account fetch again, and received messages carry the sender's name.
/// </summary>
public sealed class MockProfileTests(EverydayMockFixture mock) : IClassFixture<EverydayMockFixture>
{
    [Fact]
    public async Task A_contacts_profile_is_fetched_with_the_key_her_message_carries_and_fetched_again_when_the_key_changes()
    {
        var ct = Timeout();
        var aliceKey = Convert.FromBase64String((await mock.Linked.Mock.CommandAsync("profileKeyOf", new JsonObject { ["name"] = "alice" }, ct))!.GetValue<string>());
        var first = mock.NextTimestamp();
        await mock.SendAsync("alice", Data(new JsonObject { ["body"] = "hello", ["timestamp"] = U64(first), ["profileKey"] = Bytes(aliceKey) }), first, ct);

        var profile = await ProfileAsync(mock.AciOf("alice"), p => p.GivenName is not null, ct);
        Assert.Equal("Alice", profile.GivenName);
        Assert.Null(profile.FamilyName);
        Assert.Contains("deleteSync", profile.Capabilities);

        var rotated = (await mock.Linked.Mock.CommandAsync("rotateProfile", new JsonObject
        {
            ["name"] = "alice", ["givenName"] = "Alice", ["familyName"] = "Liddell",
        }, ct))!["profileKey"]!.GetValue<string>();
        var second = mock.NextTimestamp();
        await mock.SendAsync("alice", Data(new JsonObject { ["body"] = "new name", ["timestamp"] = U64(second), ["profileKey"] = Bytes(Convert.FromBase64String(rotated)) }), second, ct);

        profile = await ProfileAsync(mock.AciOf("alice"), p => p.FamilyName is not null, ct);
        Assert.Equal(("Alice", "Liddell"), (profile.GivenName, profile.FamilyName));
        var recipient = await mock.Linked.Account.Database.Recipients.GetByAciAsync(mock.AciOf("alice"), ct);
        Assert.Equal(Convert.FromBase64String(rotated), recipient!.ProfileKey);
        var message = await mock.ReceiveAsync<ReceivedMessage>(m => m.Timestamp == second, ct);
        Assert.Equal("Alice", message.SenderName); // The contact list's name comes first, as in signal-cli.
    }

    [Fact]
    public async Task A_sender_missing_from_the_contact_list_is_named_by_the_profile_name()
    {
        var ct = Timeout();
        var bob = await mock.Linked.Account.Database.Recipients.GetByAciAsync(mock.AciOf("bob"), ct);
        await mock.Linked.Account.Database.Contacts.RemoveAsync(bob!.Id, ct);
        var key = (await mock.Linked.Mock.CommandAsync("rotateProfile", new JsonObject
        {
            ["name"] = "bob", ["givenName"] = "Robert", ["familyName"] = "Builder",
        }, ct))!["profileKey"]!.GetValue<string>();
        var sent = mock.NextTimestamp();
        await mock.SendAsync("bob", Data(new JsonObject { ["body"] = "hi", ["timestamp"] = U64(sent), ["profileKey"] = Bytes(Convert.FromBase64String(key)) }), sent, ct);

        await ProfileAsync(mock.AciOf("bob"), p => p.GivenName == "Robert", ct);
        var message = await mock.ReceiveAsync<ReceivedMessage>(m => m.Timestamp == sent, ct);

        Assert.Equal("Robert Builder", message.SenderName);
    }

    [Fact]
    public async Task UpdateProfile_writes_our_name_under_the_version_and_commitment_of_our_key_and_Alice_reads_it_with_the_key_we_send_her()
    {
        var ct = Timeout();
        var people = mock.Linked.Account.People;

        // Only the about text: the name stays what the phone wrote (read from the server under our key).
        var first = await people.UpdateProfileAsync(new ProfileUpdate(null, null, "Bridging chats", null), ct);
        Assert.Equal(("Phone", (string?)null, "Bridging chats"), (first.GivenName, first.FamilyName, first.About));

        var written = await people.UpdateProfileAsync(new ProfileUpdate("Sharp", "Daemon", null, "🤖"), ct);
        Assert.Equal(new OwnProfile("Sharp", "Daemon", "Bridging chats", "🤖", false), written);

        var alice = new RecipientTarget(Address(mock.NumberOf("alice")));
        await mock.Linked.Account.SendMessageAsync(alice, new OutgoingMessage("my new name", []), ct);
        var data = (await mock.Linked.Mock.CommandAsync("waitForDataContent", new JsonObject { ["at"] = "alice" }, ct))!["dataMessage"]!;
        var seen = (await mock.Linked.Mock.CommandAsync("checkProfileWrite", new JsonObject
        {
            ["owner"] = "linked", ["profileKey"] = (string)data["profileKey"]!,
        }, ct))!;

        Assert.True((bool)seen["versionMatches"]!);
        Assert.True((bool)seen["commitmentMatches"]!);
        Assert.Equal(("Sharp", "Daemon", "Bridging chats", "🤖"), ((string?)seen["givenName"], (string?)seen["familyName"], (string?)seen["about"], (string?)seen["aboutEmoji"]));
        Assert.False((bool)seen["avatar"]!);

        await Assert.ThrowsAsync<InvalidPeopleRequestException>(() => people.UpdateProfileAsync(new ProfileUpdate("", null, null, null), ct));
        await Assert.ThrowsAsync<InvalidPeopleRequestException>(() => people.UpdateProfileAsync(new ProfileUpdate(null, null, new string('x', 600), null), ct));
    }

    private async Task<ProfileRecord> ProfileAsync(Guid aci, Func<ProfileRecord, bool> done, CancellationToken ct)
    {
        while (true)
        {
            if (await mock.Linked.Account.Database.Recipients.GetByAciAsync(aci, ct) is { } recipient
                && await mock.Linked.Account.Database.Profiles.GetAsync(recipient.Id, ct) is { } profile && done(profile))
            {
                return profile;
            }

            await Task.Delay(100, ct);
        }
    }
}
