namespace SignalSharp.Account.Storage;

/// <summary>Where one account's database lives under the data directory: <c>DIR/accounts/+NUMBER</c>.</summary>
public static class AccountDirectory
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static string For(string configDirectory, string number) => Path.Combine(configDirectory, "accounts", number);

    /// <summary>The numbers of the accounts kept under <paramref name="configDirectory"/>, in order (links in progress are not accounts).</summary>
    public static IReadOnlyList<string> List(string configDirectory)
    {
        var accounts = Path.Combine(configDirectory, "accounts");
        return Directory.Exists(accounts)
            ? [.. Directory.EnumerateDirectories(accounts).Select(Path.GetFileName).OfType<string>().Where(Api.RecipientAddress.IsE164).Order(StringComparer.Ordinal)]
            : [];
    }

    /// <summary>A directory for a device whose number is not known yet (linking); renamed once it is.</summary>
    internal static string Pending(string configDirectory) => Path.Combine(configDirectory, "accounts", ".linking-" + Guid.NewGuid().ToString("N"));

    /// <summary>
    /// Creates the parents of <paramref name="accountDirectory"/> (<c>DIR/accounts</c> and <c>DIR</c>) readable by the
    /// owner only: the account folders are named by phone number, so listing them tells who uses this machine.
    /// <c>DIR/accounts</c> is made private also when it exists; <c>DIR</c> only when this call creates it (it may be
    /// a folder the user chose for other things too).
    /// </summary>
    public static void CreateParents(string accountDirectory)
    {
        var accounts = Path.GetDirectoryName(Path.GetFullPath(accountDirectory))!;
        var data = Path.GetDirectoryName(accounts)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(accounts);
            return;
        }

        if (!Directory.Exists(data))
        {
            Directory.CreateDirectory(data, Private);
            File.SetUnixFileMode(data, Private);
        }

        Directory.CreateDirectory(accounts, Private);
        File.SetUnixFileMode(accounts, Private);
    }
}
