using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Account.Tests.Everyday;
using static SignalSharp.Account.Tests.Everyday.EverydayMockFixture;

namespace SignalSharp.Account.Tests.People;

/// <summary>
/// Avatars from the phone's contact list against the mock: the phone (the mock's primary, through its session) sends a
/// contact sync whose blob carries avatar images after the ContactDetails that declare them, as Signal's apps write
/// it (interop/mock/forge.mjs deliverContactSync). The linked account stores each image as signal-cli names it
/// (avatars/contact-NUMBER, 0600) and getAvatar's <c>contact</c> reads it back; an unreadable record and an image over
/// the limit are skipped without losing the contacts after them; a later sync replaces or removes the files (a complete
/// one also those of contacts it no longer lists).
/// </summary>
public sealed class MockContactSyncAvatarTests(EverydayMockFixture mock) : IClassFixture<EverydayMockFixture>
{
    private const string Carol = "+15550107201";
    private const string Dave = "+15550107202";
    private const string Erin = "+15550107203";

    [Fact]
    public async Task A_contact_syncs_avatars_are_stored_read_back_replaced_and_removed()
    {
        var ct = Timeout();
        var alice = Image(24_000);
        var carol = Image(3_000);
        var erin = Image(2_000);
        await SyncAsync(ct, false,
            new JsonObject { ["contact"] = "alice", ["name"] = "Alice A", ["avatar"] = Convert.ToBase64String(alice) },
            // Field 1 (a string) claiming 255 bytes of a 2-byte record: no protobuf reader takes it.
            new JsonObject { ["raw"] = Convert.ToBase64String([0x0a, 0xff]) },
            new JsonObject { ["contact"] = "bob", ["name"] = "Bob B", ["oversize"] = 11 * 1024 * 1024 },
            new JsonObject { ["number"] = Erin, ["name"] = "Erin", ["avatar"] = Convert.ToBase64String(erin) },
            new JsonObject { ["number"] = Carol, ["name"] = "Carol", ["avatar"] = Convert.ToBase64String(carol) });
        var people = mock.Linked.Account.People;
        // Carol comes last in the blob: once her image is there, the whole sync was applied.
        Assert.Equal(carol, await AvatarAsync(Contact(Carol), ct));
        Assert.Equal(erin, await people.GetAvatarAsync(Contact(Erin), ct));
        var aliceByNumber = new AvatarSource.Contact(RecipientAddress.PhoneNumber(mock.NumberOf("alice")));
        Assert.Equal(alice, await people.GetAvatarAsync(aliceByNumber, ct));
        Assert.Equal(alice, await people.GetAvatarAsync(new AvatarSource.Contact(RecipientAddress.Aci(new Aci(mock.AciOf("alice")))), ct));
        var file = Path.Combine(mock.Linked.Account.Database.DirectoryPath, "avatars", "contact-" + mock.NumberOf("alice"));
        Assert.Equal(alice, await File.ReadAllBytesAsync(file, ct));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        // Bob's image was over the limit: no file, but he and the contact after him were read.
        await Assert.ThrowsAsync<AvatarNotFoundException>(() => people.GetAvatarAsync(Contact(mock.NumberOf("bob")), ct));
        await ContactAsync(mock.NumberOf("bob"), "Bob B", ct);
        // The contact list's avatar is not the profile's: Alice's profile has none.
        await Assert.ThrowsAsync<AvatarNotFoundException>(() => people.GetAvatarAsync(new AvatarSource.Profile(aliceByNumber.Recipient), ct));

        // A later, complete sync: Alice's image is replaced, Carol is named without one (her file goes), Dave gets his
        // first, and Erin, no longer on the list, loses hers.
        var aliceAgain = Image(9_000);
        var dave = Image(1_000);
        await SyncAsync(ct, true,
            new JsonObject { ["contact"] = "alice", ["name"] = "Alice A", ["avatar"] = Convert.ToBase64String(aliceAgain) },
            new JsonObject { ["number"] = Carol, ["name"] = "Carol" },
            new JsonObject { ["number"] = Dave, ["name"] = "Dave", ["avatar"] = Convert.ToBase64String(dave) });
        Assert.Equal(dave, await AvatarAsync(Contact(Dave), ct));
        await ContactAsync(Dave, "Dave", ct);
        Assert.Equal(aliceAgain, await people.GetAvatarAsync(aliceByNumber, ct));
        await Assert.ThrowsAsync<AvatarNotFoundException>(() => people.GetAvatarAsync(Contact(Carol), ct));
        Assert.False(File.Exists(Path.Combine(mock.Linked.Account.Database.DirectoryPath, "avatars", "contact-" + Carol)));
        // Files of contacts the list no longer names go after the named ones are written.
        var erinFile = Path.Combine(mock.Linked.Account.Database.DirectoryPath, "avatars", "contact-" + Erin);
        while (File.Exists(erinFile))
        {
            await Task.Delay(100, ct);
        }

        await Assert.ThrowsAsync<AvatarNotFoundException>(() => people.GetAvatarAsync(Contact(Erin), ct));
        Assert.Equal(aliceAgain, await people.GetAvatarAsync(aliceByNumber, ct));
    }

    private static AvatarSource.Contact Contact(string number) => new(RecipientAddress.PhoneNumber(number));

    private static byte[] Image(int length)
    {
        var image = new byte[length];
        Random.Shared.NextBytes(image);
        return image;
    }

    private Task SyncAsync(CancellationToken ct, bool complete, params JsonObject[] contacts) =>
        mock.Linked.Mock.CommandAsync("deliverContactSync", new JsonObject
        {
            ["from"] = "phone", ["plaintext"] = false, ["complete"] = complete, ["contacts"] = new JsonArray(contacts),
        }, ct);

    private async Task<byte[]> AvatarAsync(AvatarSource source, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return await mock.Linked.Account.People.GetAvatarAsync(source, ct);
            }
            catch (AvatarNotFoundException)
            {
                await Task.Delay(100, ct);
            }
        }
    }

    private async Task ContactAsync(string number, string name, CancellationToken ct)
    {
        while (await mock.Linked.Account.Database.Contacts.GetByE164Async(number, ct) is not { } contact || contact.Name != name)
        {
            await Task.Delay(100, ct);
        }
    }
}
