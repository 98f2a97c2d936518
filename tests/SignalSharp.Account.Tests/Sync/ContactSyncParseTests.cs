using Google.Protobuf;
using SignalSharp.Account.Proto;
using SignalSharp.Account.Sync;

namespace SignalSharp.Account.Tests.Sync;

/// <summary>
/// The contacts blob as Signal's apps write it: each ContactDetails length-prefixed, its avatar's raw bytes right after
/// it. Avatars are taken up to the limit and skipped by their declared length beyond it; a record that does not parse
/// is skipped by its own length; a blob cut short keeps what came before the cut.
/// </summary>
public sealed class ContactSyncParseTests
{
    [Fact]
    public void Avatars_follow_their_records_and_one_over_the_limit_is_skipped_by_its_length()
    {
        var small = Bytes(100, 1);
        var large = Bytes(101, 2);
        var atLimit = Bytes(100, 3);
        var blob = Concat(
            Record("+15550000001", small),
            Record("+15550000002", large),
            Record("+15550000003", null),
            Record("+15550000004", atLimit));

        var items = ContactSync.ParseWithAvatars(blob, maxAvatarBytes: 100);

        Assert.Equal(["+15550000001", "+15550000002", "+15550000003", "+15550000004"], items.Select(i => i.Entry.E164));
        Assert.Equal(small, items[0].Avatar);
        Assert.Equal((null, true), (items[1].Avatar, items[1].AvatarRefused));
        Assert.Equal((null, false), (items[2].Avatar, items[2].AvatarRefused));
        Assert.Equal(atLimit, items[3].Avatar);
    }

    [Fact]
    public void An_unreadable_record_is_skipped_and_a_cut_keeps_what_came_before()
    {
        // Field 1 claims 255 bytes inside a 2-byte record: no protobuf reader takes it.
        var unreadable = new byte[] { 2, 0x0a, 0xff };
        var whole = Concat(Record("+15550000001", Bytes(10, 1)), unreadable, Record("+15550000002", Bytes(10, 2)));
        Assert.Equal(["+15550000001", "+15550000002"], ContactSync.ParseWithAvatars(whole, 100).Select(i => i.Entry.E164));

        // Cut inside the second record's avatar, then inside a length prefix: the first contact stays.
        var cutAvatar = whole[..^3];
        Assert.Equal(["+15550000001"], ContactSync.ParseWithAvatars(cutAvatar, 100).Select(i => i.Entry.E164));
        var cutPrefix = Concat(Record("+15550000001", null), [0x80]);
        Assert.Equal(["+15550000001"], ContactSync.ParseWithAvatars(cutPrefix, 100).Select(i => i.Entry.E164));
    }

    [Fact]
    public void A_number_that_is_not_a_phone_number_never_names_a_file()
    {
        // The number names the contact's avatar file: "../x" must not reach a path. With an ACI the contact is kept
        // by it; without one there is nothing left to name the contact by.
        var aci = Guid.NewGuid();
        var withAci = new ContactDetails { Number = "../../escape", Aci = aci.ToString() };
        var alone = new ContactDetails { Number = "../escape" };
        using var stream = new MemoryStream();
        withAci.WriteDelimitedTo(stream);
        alone.WriteDelimitedTo(stream);
        stream.Write(Record("+15550000001", null));

        var items = ContactSync.ParseWithAvatars(stream.ToArray(), 100);

        Assert.Equal([(null, aci), ("+15550000001", null)], items.Select(i => (i.Entry.E164, i.Entry.Aci)));
    }

    private static byte[] Record(string number, byte[]? avatar)
    {
        var details = new ContactDetails { Number = number, Name = "n" + number };
        if (avatar is not null)
        {
            details.Avatar = new ContactDetails.Types.Avatar { ContentType = "image/png", Length = (uint)avatar.Length };
        }

        using var stream = new MemoryStream();
        details.WriteDelimitedTo(stream);
        stream.Write(avatar ?? []);
        return stream.ToArray();
    }

    private static byte[] Bytes(int length, byte value) => Enumerable.Repeat(value, length).ToArray();

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
