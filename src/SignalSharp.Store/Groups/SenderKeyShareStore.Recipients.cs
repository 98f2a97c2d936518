using System.Buffers;
using System.Text.Json;
using SignalSharp.Store.Protocol;
using SignalSharp.Store.Schema;

namespace SignalSharp.Store.Groups;

/// <summary>One recipient as a sender-key send needs it: its stored identity key (and whether it is trusted: a key
/// that replaced an earlier one unconfirmed is not) and its devices' session records.</summary>
public sealed record RecipientSessions(string Name, byte[]? IdentityKey, bool Trusted, IReadOnlyList<(uint Device, byte[] Record)> Sessions);

public sealed partial class SenderKeyShareStore
{
    /// <summary>
    /// The identity keys and session records of many recipients in two queries (a group send reads them for every
    /// member, and one query per member and device would cost more than the encryption). Names without any
    /// session or identity are absent from the result.
    /// </summary>
    public Task<IReadOnlyDictionary<string, RecipientSessions>> LoadRecipientsAsync(AccountIdentity identity, IReadOnlyCollection<string> names,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        var list = NamesJson(names);
        return db.ReadAsync<IReadOnlyDictionary<string, RecipientSessions>>(async (c, t) =>
        {
            var sessions = await c.Command(t, """
                    SELECT address, device, record FROM sessions
                    WHERE identity = $i AND address IN (SELECT value FROM json_each($names)) ORDER BY address, device
                    """).With("$i", identity).With("$names", list)
                .ListAsync(r => (Name: r.GetString(0), Device: (uint)r.GetInt64(1), Record: (byte[])r.GetValue(2)), cancellationToken).ConfigureAwait(false);
            var identities = await c.Command(t, "SELECT address, identity_key, trust_level FROM identities WHERE address IN (SELECT value FROM json_each($names))")
                .With("$names", list).ListAsync(r => (Name: r.GetString(0), Key: (byte[])r.GetValue(1), Trusted: r.GetInt64(2) != (long)TrustLevel.Untrusted),
                    cancellationToken).ConfigureAwait(false);
            var keys = identities.ToDictionary(i => i.Name, i => (i.Key, i.Trusted), StringComparer.Ordinal);
            var result = new Dictionary<string, RecipientSessions>(StringComparer.Ordinal);
            foreach (var group in sessions.GroupBy(s => s.Name, StringComparer.Ordinal))
            {
                var known = keys.TryGetValue(group.Key, out var k);
                result[group.Key] = new RecipientSessions(group.Key, known ? k.Key : null, known && k.Trusted, [.. group.Select(s => (s.Device, s.Record))]);
            }

            foreach (var (name, (key, trusted)) in keys)
            {
                result.TryAdd(name, new RecipientSessions(name, key, trusted, []));
            }

            return result;
        }, cancellationToken);
    }

    private static string NamesJson(IReadOnlyCollection<string> names)
    {
        var buffer = new ArrayBufferWriter<byte>(names.Count * 40 + 2);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var name in names)
            {
                writer.WriteStringValue(name);
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
