using System.Globalization;
using SignalSharp.Store.Schema;

namespace SignalSharp.Store.Settings;

/// <summary>Account-wide key/value settings (number, ACI, PNI, device id, password, profile key, flags...).
/// Values are stored as SQLite's own types; the typed getters convert and return null when the key is absent.</summary>
public sealed class AccountSettingsStore
{
    internal const string Schema = """
        CREATE TABLE account_settings (
            key   TEXT PRIMARY KEY NOT NULL,
            value ANY
        ) STRICT, WITHOUT ROWID;

        """;

    private readonly StoreScope db;

    internal AccountSettingsStore(StoreScope db) => this.db = db;

    public Task SetStringAsync(string key, string? value, CancellationToken cancellationToken = default) => SetAsync(key, value, cancellationToken);
    public Task SetBytesAsync(string key, byte[]? value, CancellationToken cancellationToken = default) => SetAsync(key, value, cancellationToken);
    public Task SetInt64Async(string key, long? value, CancellationToken cancellationToken = default) => SetAsync(key, value, cancellationToken);
    public Task SetBooleanAsync(string key, bool? value, CancellationToken cancellationToken = default) => SetAsync(key, value, cancellationToken);

    public async Task<string?> GetStringAsync(string key, CancellationToken cancellationToken = default)
        => await GetAsync(key, cancellationToken).ConfigureAwait(false) switch
        {
            null => null,
            string s => s,
            var other => Convert.ToString(other, CultureInfo.InvariantCulture),
        };

    public async Task<byte[]?> GetBytesAsync(string key, CancellationToken cancellationToken = default)
        => await GetAsync(key, cancellationToken).ConfigureAwait(false) switch
        {
            null => null,
            byte[] b => b,
            var other => throw new Errors.CorruptRecordException("account_settings", $"'{key}' holds {other.GetType().Name}, not bytes"),
        };

    public async Task<long?> GetInt64Async(string key, CancellationToken cancellationToken = default)
        => await GetAsync(key, cancellationToken).ConfigureAwait(false) switch
        {
            null => null,
            long l => l,
            var other => throw new Errors.CorruptRecordException("account_settings", $"'{key}' holds {other.GetType().Name}, not an integer"),
        };

    public async Task<bool?> GetBooleanAsync(string key, CancellationToken cancellationToken = default)
        => await GetInt64Async(key, cancellationToken).ConfigureAwait(false) is { } l ? l != 0 : null;

    public Task<bool> RemoveAsync(string key, CancellationToken cancellationToken = default)
        => this.db.WriteAsync(async (c, t) =>
            await c.Command(t, "DELETE FROM account_settings WHERE key = $key").With("$key", key)
                .ExecuteAsync(cancellationToken).ConfigureAwait(false) > 0, cancellationToken);

    /// <summary>A null value removes the key, so "absent" and "null" never differ.</summary>
    private Task SetAsync(string key, object? value, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return this.db.WriteAsync(async (c, t) =>
        {
            var command = value is null
                ? c.Command(t, "DELETE FROM account_settings WHERE key = $key")
                : c.Command(t, "INSERT INTO account_settings (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value").With("$value", value);
            await command.With("$key", key).ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    private Task<object?> GetAsync(string key, CancellationToken cancellationToken)
        => this.db.ReadAsync((c, t) => c.Command(t, "SELECT value FROM account_settings WHERE key = $key").With("$key", key).ScalarAsync(cancellationToken), cancellationToken);
}
