namespace SignalSharp.Account.Storage;

/// <summary>Where one account's database lives under the data directory: <c>DIR/accounts/+NUMBER</c>.</summary>
public static class AccountDirectory
{
    public static string For(string configDirectory, string number) => Path.Combine(configDirectory, "accounts", number);

    /// <summary>A directory for a device whose number is not known yet (linking); renamed once it is.</summary>
    internal static string Pending(string configDirectory) => Path.Combine(configDirectory, "accounts", ".linking-" + Guid.NewGuid().ToString("N"));
}
