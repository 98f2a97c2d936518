namespace SignalSharp.Store.Schema;

/// <summary>Keeps the account's keys private to the user: the directory 0700, the database and its
/// <c>-wal</c>/<c>-shm</c> companions 0600. No-op on Windows, where ACLs of the profile directory apply.</summary>
internal static class FilePermissions
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void EnsurePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, DirectoryMode);
        // CreateDirectory is subject to the umask and leaves an existing directory as it was: set it explicitly.
        File.SetUnixFileMode(path, DirectoryMode);
    }

    /// <summary>Creates the database file empty with mode 0600 before SQLite opens it, so it never exists with a
    /// wider mode; SQLite then gives its -wal and -shm files the database file's mode.</summary>
    public static void EnsurePrivateFile(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (!File.Exists(path))
        {
            var options = new FileStreamOptions
            {
                Mode = System.IO.FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = FileMode,
            };
            try
            {
                using var _ = new FileStream(path, options);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another opener created it first; fall through to the chmod.
            }
        }

        File.SetUnixFileMode(path, FileMode);
    }

    /// <summary>Tightens companions that already exist (e.g. left by an older build or another tool).</summary>
    public static void TightenCompanions(string databasePath)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var suffix in (ReadOnlySpan<string>)["-wal", "-shm", "-journal"])
        {
            var companion = databasePath + suffix;
            try
            {
                if (File.Exists(companion) && (File.GetUnixFileMode(companion) & ~FileMode) != 0)
                {
                    File.SetUnixFileMode(companion, FileMode);
                }
            }
            catch (FileNotFoundException)
            {
                // SQLite may remove a companion between the check and the chmod.
            }
        }
    }
}
