using Microsoft.Extensions.Logging;
using SignalSharp.Account.People;
using SignalSharp.Store;

namespace SignalSharp.Account.Receiving;

/// <summary>
/// Whether admitted content is dropped because the user blocked its sender or its group. Dropped content becomes no
/// item and triggers nothing (no receipt goes back, no profile is fetched), but its envelope is acked like any
/// other, so the server does not send it again. Our own devices are never blocked.
/// </summary>
internal static class BlockFilter
{
    public static async Task<bool> DropsAsync(AccountTransaction tx, Guid ownAci, Guid sender, uint device, byte[]? groupId, ILogger logger, CancellationToken cancellationToken)
    {
        if (sender == ownAci)
        {
            return false;
        }

        if (await tx.Contacts.IsBlockedAsync(sender, cancellationToken).ConfigureAwait(false))
        {
            PeopleLog.BlockedSenderDropped(logger, sender, device);
            return true;
        }

        if (groupId is not null && await tx.BlockedGroups.IsBlockedAsync(groupId, cancellationToken).ConfigureAwait(false))
        {
            PeopleLog.BlockedGroupDropped(logger, Convert.ToBase64String(groupId));
            return true;
        }

        return false;
    }
}
