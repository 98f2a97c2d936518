using Google.Protobuf;
using SignalSharp.Account.Proto.Storage;
using SignalSharp.Account.StorageService;
using SignalSharp.Store.Recipients;

namespace SignalSharp.Account.Tests.StorageService;

/// <summary>
/// Which storage records one of our changes touches and how (the merge rules; the mock tests show the phone reads
/// the result): a contact's records by ACI, a record without an ACI by PNI, one with neither by number; two changes
/// to one record make one new record; a record already as asked is not rewritten; someone without a record gets one.
/// </summary>
public sealed class StorageRecordEditsTests
{
    private static readonly Guid Aci = Guid.Parse("4a1f6c7e-2b3d-4e5f-8a9b-0c1d2e3f4a5b");
    private static readonly Guid Pni = Guid.Parse("5b2a7d8f-3c4e-4f6a-9b0c-1d2e3f4a5b6c");
    private static readonly Recipient Contact = new(1, Aci, Pni, "+15550001111", null, null, null);

    [Fact]
    public void A_contacts_aci_pni_only_and_number_only_records_are_all_changed_and_others_are_not()
    {
        var byAci = Entry(WithNote(new ContactRecordMessage { AciBinary = Bytes(Aci) }, "kept"));
        var byPni = Entry(new ContactRecordMessage { PniBinary = Bytes(Pni) });
        var byNumber = Entry(new ContactRecordMessage { E164 = "+15550001111" });
        var otherAciSameNumber = Entry(new ContactRecordMessage { AciBinary = Bytes(Guid.NewGuid()), E164 = "+15550001111" });
        var edit = new StorageEdit();

        StorageRecordEdits.SetContactBlocked([byAci, byPni, byNumber, otherAciSameNumber], edit, Contact, blocked: true);

        Assert.Equal([byAci, byPni, byNumber], edit.Replaced.Select(r => r.Old));
        Assert.All(edit.Replaced, r => Assert.True(r.New.Contact.Blocked && !r.New.Contact.Whitelisted));
        Assert.Empty(edit.Added);
        // The record read is left as it was; the new one keeps what it had besides.
        Assert.False(byAci.Record.Contact.Blocked);
        Assert.Equal("kept", NoteOf(edit.Replaced[0].New.Contact));
    }

    [Fact]
    public void Two_changes_to_one_record_make_one_new_record_and_a_record_already_as_asked_is_left()
    {
        var record = Entry(new ContactRecordMessage { AciBinary = Bytes(Aci), Whitelisted = true });
        var edit = new StorageEdit();

        StorageRecordEdits.SetContactBlocked([record], edit, Contact, blocked: false);
        Assert.True(edit.IsEmpty);

        StorageRecordEdits.SetContactBlocked([record], edit, Contact, blocked: true);
        StorageRecordEdits.SetContactName([record], edit, Contact, "Ally");
        var replaced = Assert.Single(edit.Replaced);
        Assert.True(replaced.New.Contact.Blocked);
        Assert.Equal("Ally", replaced.New.Contact.SystemGivenName);
    }

    [Fact]
    public void Someone_without_a_record_gets_one_and_a_group_is_added_once()
    {
        var masterKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var edit = new StorageEdit();

        StorageRecordEdits.SetContactBlocked([], edit, Contact, blocked: true);
        StorageRecordEdits.AddGroup([Entry(new GroupV2RecordMessage { MasterKey = ByteString.CopyFrom(masterKey) })], edit, masterKey);

        var (type, added) = Assert.Single(edit.Added);
        Assert.Equal(StorageWriter.TypeContact, type);
        Assert.Equal(Aci, new Guid(added.Contact.AciBinary.Span, bigEndian: true));
        Assert.Equal(Pni, new Guid(added.Contact.PniBinary.Span, bigEndian: true));
        Assert.Equal("+15550001111", added.Contact.E164);
        Assert.True(added.Contact.Blocked);
        Assert.False(added.Contact.Whitelisted);

        var fresh = new StorageEdit();
        StorageRecordEdits.AddGroup([], fresh, masterKey);
        Assert.Equal(StorageWriter.TypeGroupV2, Assert.Single(fresh.Added).Type);
        Assert.True(fresh.Added[0].Record.GroupV2.Whitelisted);
    }

    private static StorageEntry Entry(ContactRecordMessage contact) =>
        new(Guid.NewGuid().ToByteArray(), StorageWriter.TypeContact, new StorageRecordMessage { Contact = contact });

    private static StorageEntry Entry(GroupV2RecordMessage group) =>
        new(Guid.NewGuid().ToByteArray(), StorageWriter.TypeGroupV2, new StorageRecordMessage { GroupV2 = group });

    private static ByteString Bytes(Guid id) => ByteString.CopyFrom(id.ToByteArray(bigEndian: true));

    private const int NoteField = 23;

    // The note (ContactRecord field 23) is not a field of SignalSharp's record: written here by hand, it is parsed as an unknown field.
    private static ContactRecordMessage WithNote(ContactRecordMessage contact, string note)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        contact.WriteTo(output);
        output.WriteTag(NoteField, WireFormat.WireType.LengthDelimited);
        output.WriteString(note);
        output.Flush();
        return ContactRecordMessage.Parser.ParseFrom(buffer.ToArray());
    }

    private static string? NoteOf(ContactRecordMessage contact)
    {
        var input = new CodedInputStream(contact.ToByteArray());
        string? note = null;
        for (uint tag; (tag = input.ReadTag()) != 0;)
        {
            if (WireFormat.GetTagFieldNumber(tag) == NoteField)
            {
                note = input.ReadString();
            }
            else
            {
                input.SkipLastField();
            }
        }

        return note;
    }
}
