using SignalSharp.Account.Api;
using SignalSharp.Service.Transport;

namespace SignalSharp.Account;

/// <summary>The one place where the chat connection's refusals that no reconnect can fix become a stopped account.</summary>
internal static class AccountStops
{
    public static AccountStoppedException? From(Exception? exception) => exception switch
    {
        DeviceDeregisteredException => new AccountStoppedException(AccountStopReason.DeviceNotAccepted),
        ClientRejectedException => new AccountStoppedException(AccountStopReason.ClientRejected),
        _ => null,
    };
}
