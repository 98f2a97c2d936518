using Microsoft.Data.Sqlite;
using SignalSharp.Store.Schema;

namespace SignalSharp.Store.Groups;

/// <summary>
/// The groups the account knows (keyed by the 32-byte group identifier), each replaced whole by
/// <see cref="UpsertAsync"/>: a group's state is only ever learned as a whole revision, so storing members
/// row by row beside it would only invite the two to disagree. Members, pending and requesting members are
/// child rows so that "which groups is X in" stays a query.
/// </summary>
public sealed class GroupStore
{
    internal const string Schema = """
        CREATE TABLE groups (
            group_id        BLOB PRIMARY KEY,
            master_key      BLOB NOT NULL,
            revision        INTEGER NOT NULL,
            title           TEXT,
            announcement    INTEGER NOT NULL DEFAULT 0,
            endorsements    BLOB,
            updated_at      INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE group_members (
            group_id        BLOB NOT NULL REFERENCES groups (group_id) ON DELETE CASCADE,
            aci             TEXT NOT NULL,
            state           INTEGER NOT NULL,
            role            INTEGER NOT NULL DEFAULT 0,
            profile_key     BLOB,
            joined_revision INTEGER NOT NULL DEFAULT 0,
            position        INTEGER NOT NULL,
            PRIMARY KEY (group_id, state, aci)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX group_members_by_aci ON group_members (aci);

        """;

    /// <summary>What a group's state says beyond title and members: description, timer, access levels, invite link; banned ids are member rows of their own state.</summary>
    internal const string DetailsSchema = """
        ALTER TABLE groups ADD COLUMN description TEXT;
        ALTER TABLE groups ADD COLUMN timer INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE groups ADD COLUMN access_attributes INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE groups ADD COLUMN access_members INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE groups ADD COLUMN access_link INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE groups ADD COLUMN link_password BLOB;

        """;

    private const string HeadColumns = "group_id, master_key, revision, title, announcement, endorsements, updated_at, description, timer, access_attributes, access_members, access_link, link_password";

    // Membership states of group_members rows.
    private const int Full = 0, Pending = 1, Requesting = 2, Banned = 3;

    private readonly StoreScope db;

    internal GroupStore(StoreScope db) => this.db = db;

    public Task<GroupRecord?> GetAsync(byte[] groupId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        return this.db.ReadAsync(async (c, t) =>
        {
            var head = await c.Command(t, $"SELECT {HeadColumns} FROM groups WHERE group_id = $g")
                .With("$g", groupId).FirstOrDefaultAsync(ReadHead, cancellationToken).ConfigureAwait(false);
            return head is null ? null : await WithMembersAsync(c, t, head, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<GroupRecord>> ListAsync(CancellationToken cancellationToken = default)
        => this.db.ReadAsync<IReadOnlyList<GroupRecord>>(async (c, t) =>
        {
            var heads = await c.Command(t, $"SELECT {HeadColumns} FROM groups ORDER BY title, group_id")
                .ListAsync(ReadHead, cancellationToken).ConfigureAwait(false);
            var list = new List<GroupRecord>(heads.Count);
            foreach (var head in heads)
            {
                list.Add(await WithMembersAsync(c, t, head, cancellationToken).ConfigureAwait(false));
            }

            return list;
        }, cancellationToken);

    /// <summary>Stores <paramref name="group"/>, replacing whatever was known of it.</summary>
    public Task UpsertAsync(GroupRecord group, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(group);
        if (group.GroupId.Length != 32)
        {
            throw new ArgumentException("A group identifier is 32 bytes.", nameof(group));
        }

        return this.db.WriteAsync(async (c, t) =>
        {
            await c.Command(t, """
                    INSERT INTO groups (group_id, master_key, revision, title, announcement, endorsements, updated_at, description, timer,
                        access_attributes, access_members, access_link, link_password)
                    VALUES ($g, $mk, $rev, $title, $ann, $end, $at, $desc, $timer, $aa, $am, $al, $lp)
                    ON CONFLICT (group_id) DO UPDATE SET master_key = excluded.master_key, revision = excluded.revision,
                        title = excluded.title, announcement = excluded.announcement, endorsements = excluded.endorsements,
                        updated_at = excluded.updated_at, description = excluded.description, timer = excluded.timer,
                        access_attributes = excluded.access_attributes, access_members = excluded.access_members,
                        access_link = excluded.access_link, link_password = excluded.link_password
                    """)
                .With("$g", group.GroupId).With("$mk", group.MasterKey).With("$rev", group.Revision).With("$title", group.Title)
                .With("$ann", group.IsAnnouncementOnly).With("$end", group.EndorsementsResponse)
                .With("$at", group.UpdatedAt.ToUnixTimeMilliseconds()).With("$desc", group.Description).With("$timer", group.ExpirationSeconds)
                .With("$aa", group.AttributesAccess).With("$am", group.MembersAccess).With("$al", group.InviteLinkAccess).With("$lp", group.InviteLinkPassword)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            await c.Command(t, "DELETE FROM group_members WHERE group_id = $g").With("$g", group.GroupId).ExecuteAsync(cancellationToken).ConfigureAwait(false);
            var position = 0;
            foreach (var m in group.Members)
            {
                await InsertMemberAsync(c, t, group.GroupId, m.Aci, Full, m.Role, m.ProfileKey, m.JoinedAtRevision, position++, cancellationToken).ConfigureAwait(false);
            }

            foreach (var aci in group.PendingMembers)
            {
                await InsertMemberAsync(c, t, group.GroupId, aci, Pending, 0, null, 0, position++, cancellationToken).ConfigureAwait(false);
            }

            foreach (var aci in group.RequestingMembers)
            {
                await InsertMemberAsync(c, t, group.GroupId, aci, Requesting, 0, null, 0, position++, cancellationToken).ConfigureAwait(false);
            }

            foreach (var id in group.BannedMembers)
            {
                await InsertMemberAsync(c, t, group.GroupId, id, Banned, 0, null, 0, position++, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken);
    }

    /// <summary>Forgets a group (and its members); true when it was known.</summary>
    public Task<bool> RemoveAsync(byte[] groupId, CancellationToken cancellationToken = default)
        => this.db.WriteAsync(async (c, t) => await c.Command(t, "DELETE FROM groups WHERE group_id = $g").With("$g", groupId)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0, cancellationToken);

    private static Task<int> InsertMemberAsync(SqliteConnection c, SqliteTransaction t, byte[] groupId, Guid aci, int state, int role, byte[]? profileKey,
        uint joined, int position, CancellationToken cancellationToken)
        => c.Command(t, """
                INSERT OR IGNORE INTO group_members (group_id, aci, state, role, profile_key, joined_revision, position)
                VALUES ($g, $aci, $state, $role, $pk, $joined, $pos)
                """)
            .With("$g", groupId).With("$aci", aci).With("$state", state).With("$role", role).With("$pk", profileKey)
            .With("$joined", joined).With("$pos", position).ExecuteAsync(cancellationToken);

    private static async Task<GroupRecord> WithMembersAsync(SqliteConnection c, SqliteTransaction? t, GroupRecord head, CancellationToken cancellationToken)
    {
        var rows = await c.Command(t, "SELECT aci, state, role, profile_key, joined_revision FROM group_members WHERE group_id = $g ORDER BY position")
            .With("$g", head.GroupId)
            .ListAsync(r => (State: (int)r.GetInt64(1), Member: new GroupMemberRecord(r.GetGuidOrNull(0)!.Value, (int)r.GetInt64(2), r.GetBytesOrNull(3), (uint)r.GetInt64(4))),
                cancellationToken).ConfigureAwait(false);
        return head with
        {
            Members = [.. rows.Where(r => r.State == Full).Select(r => r.Member)],
            PendingMembers = [.. rows.Where(r => r.State == Pending).Select(r => r.Member.Aci)],
            RequestingMembers = [.. rows.Where(r => r.State == Requesting).Select(r => r.Member.Aci)],
            BannedMembers = [.. rows.Where(r => r.State == Banned).Select(r => r.Member.Aci)],
        };
    }

    private static GroupRecord ReadHead(SqliteDataReader r) => new(
        (byte[])r.GetValue(0), (byte[])r.GetValue(1), (uint)r.GetInt64(2), r.GetStringOrNull(3), [], [], [], r.GetInt64(4) != 0,
        r.GetBytesOrNull(5), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6)))
    {
        Description = r.GetStringOrNull(7),
        ExpirationSeconds = (uint)r.GetInt64(8),
        AttributesAccess = (uint)r.GetInt64(9),
        MembersAccess = (uint)r.GetInt64(10),
        InviteLinkAccess = (uint)r.GetInt64(11),
        InviteLinkPassword = r.GetBytesOrNull(12),
    };
}
