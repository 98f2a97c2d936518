using Microsoft.Data.Sqlite;
using SignalSharp.Store.Schema;

namespace SignalSharp.Store.Profiles;

/// <summary>
/// A recipient's decrypted profile as last fetched. The names also live on the recipient row (listings and
/// mentions read them there); the rest lives here, with when it was fetched so that a profile is refreshed once it
/// is old. A recipient merged away takes its profile along (the cascade), to be fetched again under the kept row.
/// </summary>
public sealed record ProfileRecord(
    string? GivenName,
    string? FamilyName,
    string? About,
    string? AboutEmoji,
    string? AvatarPath,
    IReadOnlyList<string> Capabilities,
    DateTimeOffset FetchedAt)
{
    /// <summary>The profile key it was fetched with: a recipient whose key changed since needs a fetch.</summary>
    public byte[]? FetchedWithKey { get; init; }
}

public sealed class ProfileStore
{
    internal const string Schema = """
        CREATE TABLE profiles (
            recipient_id INTEGER PRIMARY KEY REFERENCES recipients (id) ON DELETE CASCADE,
            about        TEXT,
            about_emoji  TEXT,
            avatar_path  TEXT,
            capabilities TEXT NOT NULL DEFAULT '',
            fetched_at   INTEGER NOT NULL,
            fetched_key  BLOB
        ) STRICT;

        """;

    private readonly StoreScope db;

    internal ProfileStore(StoreScope db) => this.db = db;

    /// <summary>Stores a fetched profile: the names on the recipient, the rest here, in one transaction.</summary>
    public Task SaveAsync(long recipientId, ProfileRecord profile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return db.WriteAsync(async (c, t) =>
        {
            await c.Command(t, "UPDATE recipients SET given_name = $g, family_name = $f, updated_at = $now WHERE id = $id")
                .With("$g", profile.GivenName).With("$f", profile.FamilyName).With("$now", db.NowMillis()).With("$id", recipientId)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            await c.Command(t, """
                    INSERT INTO profiles (recipient_id, about, about_emoji, avatar_path, capabilities, fetched_at, fetched_key)
                    VALUES ($id, $about, $emoji, $avatar, $caps, $at, $key)
                    ON CONFLICT (recipient_id) DO UPDATE SET
                        about = excluded.about, about_emoji = excluded.about_emoji, avatar_path = excluded.avatar_path,
                        capabilities = excluded.capabilities, fetched_at = excluded.fetched_at, fetched_key = excluded.fetched_key
                    """)
                .With("$id", recipientId).With("$about", profile.About).With("$emoji", profile.AboutEmoji).With("$avatar", profile.AvatarPath)
                .With("$caps", string.Join(',', profile.Capabilities)).With("$at", profile.FetchedAt.ToUnixTimeMilliseconds()).With("$key", profile.FetchedWithKey)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <summary>The recipient's profile (names from the recipient row), or null when none was fetched.</summary>
    public Task<ProfileRecord?> GetAsync(long recipientId, CancellationToken cancellationToken = default)
        => db.ReadAsync((c, t) => c.Command(t, """
                SELECT r.given_name, r.family_name, p.about, p.about_emoji, p.avatar_path, p.capabilities, p.fetched_at, p.fetched_key
                FROM profiles p JOIN recipients r ON r.id = p.recipient_id WHERE p.recipient_id = $id
                """).With("$id", recipientId).FirstOrDefaultAsync(Read, cancellationToken), cancellationToken);

    private static ProfileRecord Read(SqliteDataReader r) => new(
        r.GetStringOrNull(0), r.GetStringOrNull(1), r.GetStringOrNull(2), r.GetStringOrNull(3), r.GetStringOrNull(4),
        r.GetString(5).Split(',', StringSplitOptions.RemoveEmptyEntries), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6)))
    {
        FetchedWithKey = r.GetBytesOrNull(7),
    };
}
