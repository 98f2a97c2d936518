using SignalSharp.Store;

namespace SignalSharp.Store.Tests;

/// <summary>A fresh directory under the temp folder, removed afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "signalsharp-store-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Account => System.IO.Path.Combine(Path, "account");

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;
    public override DateTimeOffset GetUtcNow() => Now;
    public void Advance(TimeSpan by) => Now += by;
}

/// <summary>Opens a database in a temp directory with a clock the test controls.</summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private readonly TempDirectory dir;

    private TestDatabase(TempDirectory dir, AccountDatabase db, ManualTime time)
    {
        this.dir = dir;
        Db = db;
        Time = time;
    }

    public AccountDatabase Db { get; private set; }
    public ManualTime Time { get; }

    public static async Task<TestDatabase> OpenAsync()
    {
        var time = new ManualTime(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        var dir = new TempDirectory();
        var db = await AccountDatabase.OpenAsync(dir.Account, Options(time));
        return new TestDatabase(dir, db, time);
    }

    public static AccountDatabaseOptions Options(TimeProvider time) => new() { Durability = Durability.Normal, Time = time };

    public async Task ReopenAsync()
    {
        await Db.DisposeAsync();
        Db = await AccountDatabase.OpenAsync(this.dir.Account, Options(Time));
    }

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        this.dir.Dispose();
    }
}
