using SignalSharp.Store;

namespace SignalSharp.Account.Registration;

/// <summary>
/// What `register` leaves for `verify`: the server's verification session and the server it lives on. Kept in the
/// number's own account database (created by `register`, private like every account file) until `verify` succeeds.
/// </summary>
internal sealed record PendingRegistration(string SessionId, string ServerProfileJson)
{
    private const string KeySession = "registration.session_id";
    private const string KeyServer = "registration.server_profile";

    public async Task SaveAsync(AccountDatabase db, CancellationToken cancellationToken)
    {
        var tx = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var txDisposal = tx.ConfigureAwait(false);
        await tx.Settings.SetStringAsync(KeySession, SessionId, cancellationToken).ConfigureAwait(false);
        await tx.Settings.SetStringAsync(KeyServer, ServerProfileJson, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<PendingRegistration?> LoadAsync(AccountDatabase db, CancellationToken cancellationToken)
    {
        var session = await db.Settings.GetStringAsync(KeySession, cancellationToken).ConfigureAwait(false);
        var server = await db.Settings.GetStringAsync(KeyServer, cancellationToken).ConfigureAwait(false);
        return session is null || server is null ? null : new PendingRegistration(session, server);
    }

    public static async Task ClearAsync(AccountDatabase db, CancellationToken cancellationToken)
    {
        await db.Settings.RemoveAsync(KeySession, cancellationToken).ConfigureAwait(false);
        await db.Settings.RemoveAsync(KeyServer, cancellationToken).ConfigureAwait(false);
    }
}
