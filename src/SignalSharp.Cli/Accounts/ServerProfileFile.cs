using SignalSharp.Service;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Cli.Accounts;

/// <summary>The `--server FILE` option's value: a server profile JSON (the format `link --server` takes).</summary>
internal static class ServerProfileFile
{
    /// <summary>The profile, or null when no file is given.</summary>
    /// <exception cref="UsageException">The file is missing, unreadable or malformed.</exception>
    public static ServerProfile? Load(string? path)
    {
        if (path is null)
        {
            return null;
        }

        try
        {
            return ServerProfile.Load(path);
        }
        catch (Exception e) when (e is ServiceException or IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--server {path}: {e.Message}", e);
        }
    }
}
