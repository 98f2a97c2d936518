namespace SignalSharp.Store.Errors;

/// <summary>Base of every failure the account store reports itself (SQLite errors pass through as <see cref="Microsoft.Data.Sqlite.SqliteException"/>).</summary>
public abstract class StoreException : Exception
{
    private protected StoreException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>The database was written by a newer SignalSharp whose schema this build does not know.</summary>
public sealed class SchemaTooNewException(int found, int supported)
    : StoreException($"The account database has schema version {found}; this build supports up to {supported}.")
{
    public int FoundVersion { get; } = found;
    public int SupportedVersion { get; } = supported;
}

/// <summary>A numbered migration failed; its transaction was rolled back and the schema is still at the previous version.</summary>
public sealed class MigrationFailedException(int version, string name, Exception inner)
    : StoreException($"Schema migration {version} ({name}) failed: {inner.Message}", inner)
{
    public int Version { get; } = version;
    public string Name { get; } = name;
}

/// <summary>A record in the store could not be interpreted (corrupt or foreign data).</summary>
public sealed class CorruptRecordException(string table, string detail)
    : StoreException($"A row in '{table}' is corrupt: {detail}")
{
    public string Table { get; } = table;
}

/// <summary>The account has no identity key pair of this kind yet (not registered or linked).</summary>
public sealed class NoLocalIdentityException(string identity)
    : StoreException($"The account has no {identity} identity key pair yet.")
{
    public string Identity { get; } = identity;
}
