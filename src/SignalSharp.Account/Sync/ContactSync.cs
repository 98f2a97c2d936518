using Google.Protobuf;
using SignalSharp.Account.Api;
using SignalSharp.Account.Proto;
using SignalSharp.Store.Contacts;

namespace SignalSharp.Account.Sync;

/// <summary>One contact of a contact sync, with the avatar image the blob carried for it.</summary>
/// <param name="Avatar">The image bytes; null when the record declared none, or declared one we refused.</param>
/// <param name="AvatarRefused">The record declared an avatar over the limit (its bytes were skipped).</param>
internal sealed record ContactSyncItem(ContactSyncEntry Entry, byte[]? Avatar, bool AvatarRefused = false)
{
    /// <summary>The 32-byte profile key the record gives the contact, if any (our own entry carries the account's).</summary>
    public byte[]? ProfileKey { get; init; }
}

/// <summary>
/// The decrypted contacts blob of a contact sync: varint-length-prefixed <c>ContactDetails</c>, one after another,
/// each followed by its avatar image (<c>avatar.length</c> raw bytes) when it declares one. A record that does not
/// parse or an avatar over the caller's limit is skipped by its length, so the contacts after it are
/// still read; a blob cut short keeps the contacts read before the cut.
/// </summary>
internal static class ContactSync
{
    public static IReadOnlyList<ContactSyncItem> ParseWithAvatars(byte[] plaintext, int maxAvatarBytes)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var items = new List<ContactSyncItem>();
        var offset = 0;
        while (offset < plaintext.Length)
        {
            if (!TryReadLength(plaintext, ref offset, out var length) || length > plaintext.Length - offset)
            {
                break; // Cut short: nothing after this point can be framed.
            }

            var record = plaintext.AsSpan(offset, (int)length);
            offset += (int)length;
            ContactDetails details;
            try
            {
                details = ContactDetails.Parser.ParseFrom(record);
            }
            catch (InvalidProtocolBufferException)
            {
                // A record we cannot read; its avatar (if any) is unknowable, so the next length prefix is assumed here.
                continue;
            }

            byte[]? avatar = null;
            var refused = false;
            if (details.Avatar is { HasLength: true, Length: > 0 } declared)
            {
                if (declared.Length > plaintext.Length - offset)
                {
                    break;
                }

                if (declared.Length <= maxAvatarBytes)
                {
                    avatar = plaintext.AsSpan(offset, (int)declared.Length).ToArray();
                }
                else
                {
                    refused = true;
                }

                offset += (int)declared.Length;
            }

            if (Entry(details) is { } entry)
            {
                items.Add(new ContactSyncItem(entry, avatar, refused) { ProfileKey = details.ProfileKey.Length == 32 ? details.ProfileKey.ToByteArray() : null });
            }
        }

        return items;
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

    private static ContactSyncEntry? Entry(ContactDetails details)
    {
        Guid? aci = details.HasAciBinary && ServiceId.TryParseBinary(details.AciBinary.Span, out var binary) && binary.IsAci
            ? binary.Uuid
            : Aci.TryParse(details.Aci, out var parsed) ? parsed.Uuid : null;
        // The number names files (a contact's avatar) and is looked up as a phone number: only a well-formed one counts.
        var number = details.HasNumber && Api.RecipientAddress.IsE164(details.Number) ? details.Number : null;
        return aci is null && number is null ? null : new ContactSyncEntry(aci, number, details.HasName ? details.Name : null);
    }

    // A protobuf varint of at most 32 bits (a record longer than that could not be in memory anyway).
    private static bool TryReadLength(byte[] data, ref int offset, out uint length)
    {
        length = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if (offset >= data.Length)
            {
                return false;
            }

            var b = data[offset++];
            length |= (uint)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return shift < 28 || b < 0x10;
            }
        }

        return false;
    }
}
