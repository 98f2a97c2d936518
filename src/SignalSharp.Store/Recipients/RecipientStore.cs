using Microsoft.Data.Sqlite;
using SignalSharp.Store.Schema;

namespace SignalSharp.Store.Recipients;

/// <summary>
/// The account's recipients: lookups by ACI, PNI and E.164, and the merging rules for when the account learns
/// from a trusted source (contact sync, the server's directory) that identifiers belong to one person.
/// </summary>
public sealed class RecipientStore
{
    internal const string Schema = """
        CREATE TABLE recipients (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            aci         TEXT UNIQUE,
            pni         TEXT UNIQUE,
            e164        TEXT UNIQUE,
            profile_key BLOB,
            given_name  TEXT,
            family_name TEXT,
            updated_at  INTEGER NOT NULL,
            CHECK (aci IS NOT NULL OR pni IS NOT NULL OR e164 IS NOT NULL)
        ) STRICT;

        """;

    internal const string Columns = "id, aci, pni, e164, profile_key, given_name, family_name";

    private readonly StoreScope db;

    internal RecipientStore(StoreScope db) => this.db = db;

    public Task<Recipient?> GetAsync(long id, CancellationToken cancellationToken = default) => FindAsync("id", id, cancellationToken);
    public Task<Recipient?> GetByAciAsync(Guid aci, CancellationToken cancellationToken = default) => FindAsync("aci", aci, cancellationToken);
    public Task<Recipient?> GetByPniAsync(Guid pni, CancellationToken cancellationToken = default) => FindAsync("pni", pni, cancellationToken);
    public Task<Recipient?> GetByE164Async(string e164, CancellationToken cancellationToken = default) => FindAsync("e164", e164, cancellationToken);

    public Task<IReadOnlyList<Recipient>> ListAsync(CancellationToken cancellationToken = default)
        => this.db.ReadAsync<IReadOnlyList<Recipient>>(async (c, t) =>
            await c.Command(t, $"SELECT {Columns} FROM recipients ORDER BY id").ListAsync(Read, cancellationToken).ConfigureAwait(false),
            cancellationToken);

    /// <summary>
    /// The recipient for an ACI seen on an incoming message, created if new. This is low-trust information: it
    /// never attaches a number to anyone.
    /// </summary>
    public Task<Recipient> GetOrCreateByAciAsync(Guid aci, CancellationToken cancellationToken = default)
        => this.db.WriteAsync(async (c, t) =>
        {
            if (await FindAsync(c, t, "aci", aci, cancellationToken).ConfigureAwait(false) is { } found)
            {
                return found;
            }

            return await InsertAsync(c, t, aci, null, null, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>
    /// Records, from a trusted source, that the given identifiers (at least one) are one person, and returns
    /// that person's row. Rows holding some of them are merged into one when that cannot contradict an ACI; a
    /// row with a different ACI gives the number or PNI up instead (the number now belongs to someone else).
    /// </summary>
    public Task<Recipient> ResolveAsync(Guid? aci, Guid? pni, string? e164, CancellationToken cancellationToken = default)
        => this.db.WriteAsync((c, t) => ResolveAsync(c, t, aci, pni, e164, cancellationToken), cancellationToken);

    public Task SetProfileKeyAsync(long recipientId, byte[]? profileKey, CancellationToken cancellationToken = default)
        => UpdateAsync(recipientId, "profile_key = $v", profileKey, cancellationToken);

    public Task SetProfileNameAsync(long recipientId, string? givenName, string? familyName, CancellationToken cancellationToken = default)
        => this.db.WriteAsync((c, t) => c.Command(t, "UPDATE recipients SET given_name = $g, family_name = $f, updated_at = $now WHERE id = $id")
            .With("$g", givenName).With("$f", familyName).With("$now", this.db.NowMillis()).With("$id", recipientId)
            .ExecuteAsync(cancellationToken), cancellationToken);

    internal async Task<Recipient> ResolveAsync(SqliteConnection c, SqliteTransaction t, Guid? aci, Guid? pni, string? e164, CancellationToken cancellationToken)
    {
        if (aci is null && pni is null && e164 is null)
        {
            throw new ArgumentException("At least one of ACI, PNI and E.164 is needed.");
        }

        var byAci = aci is { } a ? await FindAsync(c, t, "aci", a, cancellationToken).ConfigureAwait(false) : null;
        var byPni = pni is { } p ? await FindAsync(c, t, "pni", p, cancellationToken).ConfigureAwait(false) : null;
        var byE164 = e164 is not null ? await FindAsync(c, t, "e164", e164, cancellationToken).ConfigureAwait(false) : null;

        // The row to keep: the ACI's row, else a row that does not belong to another ACI.
        var target = byAci
            ?? (byPni is not null && Compatible(byPni.Aci, aci) ? byPni : null)
            ?? (byE164 is not null && Compatible(byE164.Aci, aci) ? byE164 : null);
        var effectiveAci = aci ?? target?.Aci;

        foreach (var other in new[] { byPni, byE164 }.OfType<Recipient>().DistinctBy(r => r.Id))
        {
            if (other.Id == target?.Id)
            {
                continue;
            }

            if (Compatible(other.Aci, effectiveAci) && target is not null)
            {
                await MergeAsync(c, t, other, target, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ReleaseIdentifiersAsync(c, t, other, pni, e164, cancellationToken).ConfigureAwait(false);
            }
        }

        if (target is null)
        {
            return await InsertAsync(c, t, aci, pni, e164, cancellationToken).ConfigureAwait(false);
        }

        await c.Command(t, """
                UPDATE recipients SET aci = coalesce($aci, aci), pni = coalesce($pni, pni), e164 = coalesce($e164, e164), updated_at = $now
                WHERE id = $id
                """)
            .With("$aci", aci).With("$pni", pni).With("$e164", e164).With("$now", this.db.NowMillis()).With("$id", target.Id)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        return (await FindAsync(c, t, "id", target.Id, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Two rows may be one person unless both have an ACI and the ACIs differ.</summary>
    private static bool Compatible(Guid? rowAci, Guid? aci) => rowAci is null || aci is null || rowAci == aci;

    /// <summary>Folds <paramref name="from"/> into <paramref name="into"/>: the kept row's own data wins, gaps are
    /// filled from the other; the contact entry moves along unless the kept row has one.</summary>
    private async Task MergeAsync(SqliteConnection c, SqliteTransaction t, Recipient from, Recipient into, CancellationToken cancellationToken)
    {
        await c.Command(t, """
                UPDATE contacts SET recipient_id = $into
                WHERE recipient_id = $from AND NOT EXISTS (SELECT 1 FROM contacts WHERE recipient_id = $into)
                """)
            .With("$into", into.Id).With("$from", from.Id).ExecuteAsync(cancellationToken).ConfigureAwait(false);
        // Delete first: the UNIQUE identifiers must be free before the kept row takes them.
        await c.Command(t, "DELETE FROM recipients WHERE id = $id").With("$id", from.Id).ExecuteAsync(cancellationToken).ConfigureAwait(false);
        await c.Command(t, """
                UPDATE recipients SET
                    aci = coalesce(aci, $aci), pni = coalesce(pni, $pni), e164 = coalesce(e164, $e164),
                    profile_key = coalesce(profile_key, $pk), given_name = coalesce(given_name, $g), family_name = coalesce(family_name, $f),
                    updated_at = $now
                WHERE id = $id
                """)
            .With("$aci", from.Aci).With("$pni", from.Pni).With("$e164", from.E164).With("$pk", from.ProfileKey)
            .With("$g", from.GivenName).With("$f", from.FamilyName).With("$now", this.db.NowMillis()).With("$id", into.Id)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A row of another ACI loses the PNI or number now known to be someone else's.</summary>
    private async Task ReleaseIdentifiersAsync(SqliteConnection c, SqliteTransaction t, Recipient row, Guid? pni, string? e164, CancellationToken cancellationToken)
    {
        await c.Command(t, """
                UPDATE recipients SET
                    pni = CASE WHEN pni = $pni THEN NULL ELSE pni END,
                    e164 = CASE WHEN e164 = $e164 THEN NULL ELSE e164 END,
                    updated_at = $now
                WHERE id = $id
                """)
            .With("$pni", pni).With("$e164", e164).With("$now", this.db.NowMillis()).With("$id", row.Id)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<Recipient> InsertAsync(SqliteConnection c, SqliteTransaction t, Guid? aci, Guid? pni, string? e164, CancellationToken cancellationToken)
    {
        var id = (long)(await c.Command(t, "INSERT INTO recipients (aci, pni, e164, updated_at) VALUES ($aci, $pni, $e164, $now) RETURNING id")
            .With("$aci", aci).With("$pni", pni).With("$e164", e164).With("$now", this.db.NowMillis())
            .ScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return new Recipient(id, aci, pni, e164, null, null, null);
    }

    private Task UpdateAsync(long recipientId, string assignment, object? value, CancellationToken cancellationToken)
        => this.db.WriteAsync((c, t) => c.Command(t, $"UPDATE recipients SET {assignment}, updated_at = $now WHERE id = $id")
            .With("$v", value).With("$now", this.db.NowMillis()).With("$id", recipientId).ExecuteAsync(cancellationToken), cancellationToken);

    private Task<Recipient?> FindAsync(string column, object value, CancellationToken cancellationToken)
        => this.db.ReadAsync((c, t) => FindAsync(c, t, column, value, cancellationToken), cancellationToken);

    /// <summary><paramref name="column"/> is one of our own column names, never input.</summary>
    internal static Task<Recipient?> FindAsync(SqliteConnection c, SqliteTransaction? t, string column, object value, CancellationToken cancellationToken)
        => c.Command(t, $"SELECT {Columns} FROM recipients WHERE {column} = $v").With("$v", value).FirstOrDefaultAsync(Read, cancellationToken);

    internal static Recipient Read(SqliteDataReader r) => Read(r, 0);

    internal static Recipient Read(SqliteDataReader r, int offset) => new(
        r.GetInt64(offset), r.GetGuidOrNull(offset + 1), r.GetGuidOrNull(offset + 2), r.GetStringOrNull(offset + 3),
        r.GetBytesOrNull(offset + 4), r.GetStringOrNull(offset + 5), r.GetStringOrNull(offset + 6));
}
