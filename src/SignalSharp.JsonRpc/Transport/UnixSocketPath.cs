namespace SignalSharp.JsonRpc.Transport;

/// <summary>Where the UNIX socket lives by default, and the owner-only permissions it and its directory get.</summary>
public static class UnixSocketPath
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode SocketMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>$XDG_RUNTIME_DIR/signal-sharp/socket, as signal-cli uses $XDG_RUNTIME_DIR/signal-cli/socket; a per-user temp folder without it.</summary>
    public static string Default()
    {
        var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        var folder = string.IsNullOrEmpty(runtime)
            ? Path.Combine(Path.GetTempPath(), "signal-sharp-" + Environment.UserName)
            : Path.Combine(runtime, "signal-sharp");
        return Path.Combine(folder, "socket");
    }

    /// <summary>Creates the socket's folder owner-only (or tightens an existing one we own) and removes a stale socket file.</summary>
    public static void Prepare(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, DirectoryMode);
            // CreateDirectory is subject to the umask and leaves an existing folder as it was.
            if ((File.GetUnixFileMode(folder) & ~DirectoryMode) != 0 && !IsSharedSystemFolder(folder))
            {
                File.SetUnixFileMode(folder, DirectoryMode);
            }
        }

        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private static bool IsSharedSystemFolder(string folder) =>
        folder is "/tmp" or "/var/tmp" || folder == Path.TrimEndingDirectorySeparator(Path.GetTempPath());
}
