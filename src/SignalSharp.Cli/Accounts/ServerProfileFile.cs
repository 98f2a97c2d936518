using SignalSharp.Service;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Cli.Accounts;

/// <summary>The `--server FILE` option's value: a server profile JSON (the format `link --server` takes).</summary>
internal static class ServerProfileFile
{
    /// <summary>The profile, or null (message written) when the file is missing, unreadable or malformed.</summary>
    public static async Task<(bool Ok, ServerProfile? Profile)> TryLoadAsync(string? path, TextWriter stderr)
    {
        if (path is null)
        {
            return (true, null);
        }

        try
        {
            return (true, ServerProfile.Load(path));
        }
        catch (Exception e) when (e is ServiceException or IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"signal-sharp: --server {path}: {e.Message}").ConfigureAwait(false);
            return (false, null);
        }
    }
}
