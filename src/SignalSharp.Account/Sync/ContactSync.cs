using Google.Protobuf;
using SignalSharp.Account.Api;
using SignalSharp.Account.Proto;
using SignalSharp.Store.Contacts;

namespace SignalSharp.Account.Sync;

/// <summary>The decrypted contacts blob of a contact sync: varint-length-prefixed <c>ContactDetails</c>, one after another.</summary>
internal static class ContactSync
{
    public static IReadOnlyList<ContactSyncEntry> Parse(byte[] plaintext)
    {
        var entries = new List<ContactSyncEntry>();
        using var stream = new MemoryStream(plaintext, writable: false);
        while (stream.Position < stream.Length)
        {
            var details = ContactDetails.Parser.ParseDelimitedFrom(stream);
            Guid? aci = details.HasAciBinary && ServiceId.TryParseBinary(details.AciBinary.Span, out var binary) && binary.IsAci
                ? binary.Uuid
                : Aci.TryParse(details.Aci, out var parsed) ? parsed.Uuid : null;
            var number = details.HasNumber && details.Number.Length > 0 ? details.Number : null;
            if (aci is null && number is null)
            {
                continue;
            }

            entries.Add(new ContactSyncEntry(aci, number, details.HasName ? details.Name : null));
        }

        return entries;
    }

    /// <summary>The blob format, for tests and for a future primary-device mode.</summary>
    public static byte[] Serialize(IEnumerable<ContactDetails> contacts)
    {
        using var stream = new MemoryStream();
        foreach (var contact in contacts)
        {
            contact.WriteDelimitedTo(stream);
        }

        return stream.ToArray();
    }
}
