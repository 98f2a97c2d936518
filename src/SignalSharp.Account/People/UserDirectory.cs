using SignalSharp.Account.Api;
using SignalSharp.Service.Api;
using SignalSharp.Store;

namespace SignalSharp.Account.People;

/// <summary>
/// signal-cli's getUserStatus without a directory service: SignalSharp has no CDSI client, so a phone number is
/// answered from what the account already knows of it (contact sync, storage, earlier messages) and the server is
/// asked whether that ACI is still registered. A number the account has never seen cannot be looked up, and saying
/// "not registered" would be a guess, so it is refused with <see cref="DirectoryLookupUnavailableException"/>.
/// </summary>
internal sealed class UserDirectory(AccountDatabase db, ChatApi api)
{
    public async Task<IReadOnlyList<UserStatus>> StatusAsync(IReadOnlyList<RecipientAddress> recipients, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        var unknown = new List<string>();
        var found = new List<(RecipientAddress Asked, Guid Aci, string? Number)>(recipients.Count);
        foreach (var recipient in recipients)
        {
            if (recipient.Kind == RecipientKind.PhoneNumber)
            {
                var known = await db.Recipients.GetByE164Async(recipient.Value, cancellationToken).ConfigureAwait(false);
                if (known?.Aci is { } aci)
                {
                    found.Add((recipient, aci, recipient.Value));
                }
                else
                {
                    unknown.Add(recipient.Value);
                }
            }
            else
            {
                var aci = recipient.AsAci!.Value.Uuid;
                var known = await db.Recipients.GetByAciAsync(aci, cancellationToken).ConfigureAwait(false);
                found.Add((recipient, aci, known?.E164));
            }
        }

        if (unknown.Count > 0)
        {
            throw new DirectoryLookupUnavailableException(unknown);
        }

        var statuses = new List<UserStatus>(found.Count);
        foreach (var (asked, aci, number) in found)
        {
            var registered = await api.IsRegisteredAsync(aci, cancellationToken).ConfigureAwait(false);
            statuses.Add(new UserStatus(asked, number, registered ? aci : null, registered));
        }

        return statuses;
    }
}
