using Microsoft.Data.Sqlite;

namespace SignalSharp.Store.Errors;

/// <summary>
/// Tells a store that cannot be used right now (its database locked by another process, the disk full, the file
/// read-only, an I/O error) from a failure of the data or of the code: the first passes once the environment is
/// fixed, so callers keep what they could not store and try again; the second does not.
/// </summary>
public static class StoreFaults
{
    // SQLite's primary result codes (the low byte of an extended code).
    private const int Busy = 5;
    private const int Locked = 6;
    private const int ReadOnly = 8;
    private const int IoError = 10;
    private const int Full = 13;
    private const int CantOpen = 14;

    public static bool IsUnavailable(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: var code } && (code & 0xFF) is Busy or Locked or ReadOnly or IoError or Full or CantOpen;

    /// <summary>A short reason for a log line or an answer: the SQLite error without file names or data.</summary>
    public static string Describe(Exception exception) => exception is SqliteException sqlite
        ? (sqlite.SqliteErrorCode & 0xFF) switch
        {
            Busy or Locked => "database is locked",
            ReadOnly => "database is read-only",
            IoError => "disk I/O error",
            Full => "disk is full",
            CantOpen => "database cannot be opened",
            _ => $"SQLite error {sqlite.SqliteErrorCode}",
        }
        : exception.GetType().Name;
}
