using SignalSharp.Account.Storage;

namespace SignalSharp.Account.Tests;

/// <summary>The data directory and its accounts folder (whose subfolders are named by phone number) are the owner's alone.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AccountDirectoryTests
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    public void The_data_and_accounts_folders_are_created_0700_and_an_existing_accounts_folder_is_tightened()
    {
        var root = Directory.CreateTempSubdirectory("signalsharp-dirs-").FullName;
        try
        {
            var data = Path.Combine(root, "data");
            AccountDirectory.CreateParents(AccountDirectory.For(data, "+15550001111"));
            Assert.Equal(Private, File.GetUnixFileMode(data));
            Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(data, "accounts")));

            File.SetUnixFileMode(Path.Combine(data, "accounts"), Private | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            AccountDirectory.CreateParents(AccountDirectory.For(data, "+15550002222"));
            Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(data, "accounts")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
