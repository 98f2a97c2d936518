using SignalSharp.Account.Api;
using SignalSharp.Account.Storage;
using SignalSharp.Store;

namespace SignalSharp.Account.Sending;

/// <summary>Turns how a caller names a recipient (a number or a service id) into the ACI the protocol uses.</summary>
internal sealed class RecipientResolver(AccountDatabase db, AccountRecord record)
{
    /// <exception cref="UnknownRecipientException">A number no contact or recipient of this account has.</exception>
    public async Task<Guid> ResolveAsync(RecipientAddress address, CancellationToken cancellationToken)
    {
        if (address.Kind == RecipientKind.PhoneNumber)
        {
            var known = await db.Recipients.GetByE164Async(address.Value, cancellationToken).ConfigureAwait(false);
            return known?.Aci ?? throw new UnknownRecipientException(address);
        }

        return address.AsAci!.Value.Uuid;
    }

    /// <summary>The author of the message reacted to: this account itself, or a recipient it knows (else INVALID_NUMBER).</summary>
    public async Task<Guid> ResolveAuthorAsync(RecipientAddress author, CancellationToken cancellationToken)
    {
        if (author.Kind == RecipientKind.PhoneNumber && author.Value == record.Number)
        {
            return record.Aci;
        }

        return await ResolveAsync(author, cancellationToken).ConfigureAwait(false);
    }
}
