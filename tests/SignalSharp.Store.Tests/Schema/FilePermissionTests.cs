namespace SignalSharp.Store.Tests.Schema;

public sealed class FilePermissionTests
{
    private const UnixFileMode Dir0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode File0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task Directory_is_0700_and_database_wal_and_shm_are_0600()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await using var t = await TestDatabase.OpenAsync();
        await t.Db.Settings.SetStringAsync("k", "v"); // make sure the WAL has content
        var path = t.Db.DatabasePath;
        Assert.Equal(Dir0700, File.GetUnixFileMode(t.Db.DirectoryPath));
        Assert.Equal(File0600, File.GetUnixFileMode(path));
        Assert.True(File.Exists(path + "-wal"), "WAL file expected while open");
        Assert.True(File.Exists(path + "-shm"), "shared-memory file expected while open");
        Assert.Equal(File0600, File.GetUnixFileMode(path + "-wal"));
        Assert.Equal(File0600, File.GetUnixFileMode(path + "-shm"));
    }

    [Fact]
    public async Task Loose_existing_directory_and_files_are_tightened()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var dir = new TempDirectory();
        await (await AccountDatabase.OpenAsync(dir.Account, TestDatabase.Options(TimeProvider.System))).DisposeAsync();
        var db = Path.Combine(dir.Account, AccountDatabase.FileName);
        var loose = File0600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(dir.Account, Dir0700 | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(db, loose);

        await using var reopened = await AccountDatabase.OpenAsync(dir.Account, TestDatabase.Options(TimeProvider.System));
        await reopened.Settings.SetStringAsync("k", "v");
        Assert.Equal(Dir0700, File.GetUnixFileMode(dir.Account));
        Assert.Equal(File0600, File.GetUnixFileMode(db));
        Assert.Equal(File0600, File.GetUnixFileMode(db + "-wal"));
        Assert.Equal(File0600, File.GetUnixFileMode(db + "-shm"));
    }
}
