using Google.Protobuf;
using Microsoft.Extensions.Logging;
using SignalSharp.Account.Api;
using SignalSharp.Account.Proto;
using SignalSharp.Account.Sending;
using SignalSharp.Account.Storage;
using SignalSharp.Service.Api;
using SignalSharp.Service.Profiles;
using SignalSharp.Service.Transport;
using SignalSharp.Store;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.People;

/// <summary>
/// Sends the account's contact list to its other devices (signal-cli's sendContacts): the list becomes the contacts
/// blob (length-prefixed ContactDetails, the account itself last so the others learn its profile key), uploaded as an
/// attachment and named by a SyncMessage.Contacts marked complete.
/// </summary>
internal sealed class ContactListSync(AccountDatabase db, ChatApi api, AccountRecord record, ServerProfile profile, SemaphoreSlim protocolGate, ILogger logger)
{
    public async Task SendAsync(CancellationToken cancellationToken)
    {
        var details = await DetailsAsync(cancellationToken).ConfigureAwait(false);
        if (details.Count == 0)
        {
            // Nothing to tell (as signal-cli: no blob, no message).
            return;
        }

        await SendAsync(details, complete: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// After a profile key rotation on the primary: a partial contact sync holding only the account's own entry with
    /// its new profile key, which is how Signal's primaries tell their linked devices.
    /// </summary>
    public Task SendOwnProfileKeyAsync(CancellationToken cancellationToken) =>
        record.ProfileKey is { Length: 32 } key ? SendAsync([Entry(record.Aci, record.Number, key)], complete: false, cancellationToken) : Task.CompletedTask;

    private async Task SendAsync(List<ContactDetails> details, bool complete, CancellationToken cancellationToken)
    {
        var blob = Sync.ContactSync.Serialize(details);
        var credentials = new ChatCredentials(record.Aci.ToString(), record.DeviceId, record.Password);
        var pointers = await AttachmentUploader.UploadAsync(profile, api, credentials,
            [new OutgoingAttachment(blob, null, "application/octet-stream")], cancellationToken).ConfigureAwait(false);
        var sync = new SyncMessage { Contacts = new SyncMessage.Types.Contacts { Blob = pointers[0], Complete = complete } };
        await new OwnDeviceSync(api, db, record, protocolGate, logger).SendAsync(sync, cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<ContactDetails>> DetailsAsync(CancellationToken cancellationToken)
    {
        var details = new List<ContactDetails>();
        foreach (var contact in await db.Contacts.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            var recipient = contact.Recipient;
            if (recipient.Aci == record.Aci || (recipient.Aci is null && recipient.E164 is null))
            {
                continue;
            }

            var entry = Entry(recipient.Aci, recipient.E164, recipient.ProfileKey);
            if (contact.Name is { Length: > 0 } name)
            {
                entry.Name = name;
            }

            if (contact.ExpirationTimerSeconds > 0)
            {
                entry.ExpireTimer = contact.ExpirationTimerSeconds;
            }

            details.Add(entry);
        }

        if (record.ProfileKey is { Length: > 0 } ownKey)
        {
            details.Add(Entry(record.Aci, record.Number, ownKey));
        }

        return details;
    }

    private static ContactDetails Entry(Guid? aci, string? number, byte[]? profileKey)
    {
        var entry = new ContactDetails();
        if (aci is { } id)
        {
            entry.Aci = id.ToString();
            entry.AciBinary = ByteString.CopyFrom(id.ToByteArray(bigEndian: true));
        }

        if (number is { Length: > 0 })
        {
            entry.Number = number;
        }

        if (profileKey is { Length: 32 })
        {
            entry.ProfileKey = ByteString.CopyFrom(profileKey);
        }

        return entry;
    }
}
