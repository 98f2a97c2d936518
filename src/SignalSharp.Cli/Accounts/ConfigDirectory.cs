namespace SignalSharp.Cli.Accounts;

/// <summary>The data directory: --config, else $XDG_DATA_HOME/signal-sharp, else ~/.local/share/signal-sharp.</summary>
internal static class ConfigDirectory
{
    public static string Resolve(string? fromCommandLine) => Resolve(fromCommandLine, Environment.GetEnvironmentVariable);

    internal static string Resolve(string? fromCommandLine, Func<string, string?> environment)
    {
        if (!string.IsNullOrEmpty(fromCommandLine))
        {
            return Path.GetFullPath(fromCommandLine);
        }

        // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
        var xdg = environment("XDG_DATA_HOME");
        if (!string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg))
        {
            return Path.Combine(xdg, "signal-sharp");
        }

        var home = environment("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".local", "share", "signal-sharp");
    }

    public static string DescribeDefault() => "$XDG_DATA_HOME/signal-sharp, else ~/.local/share/signal-sharp";
}
