using Microsoft.Extensions.Logging.Abstractions;
using SignalSharp.Account.Receiving;
using SignalSharp.Store;
using SignalSharp.Store.Inbox;

namespace SignalSharp.Account.Tests;

/// <summary>
/// Retention against a real account database and attachments folder: once delivery is confirmed (and the keep
/// time passed), items, their attachment rows and files go, and the database with its write-ahead log stops
/// growing under a steady stream.
/// </summary>
public sealed class InboxRetentionTests : IAsyncLifetime
{
    private const int Rounds = 24;
    private const int PerRound = 150;
    private readonly string directory = Directory.CreateTempSubdirectory("signalsharp-retention-").FullName;
    private AccountDatabase db = null!;
    private string folder = null!;
    private long nextTimestamp = 1_732_530_000_000;

    public async Task InitializeAsync()
    {
        db = await AccountDatabase.OpenAsync(directory);
        folder = AttachmentDownloader.FolderFor(directory);
        Directory.CreateDirectory(folder);
    }

    public async Task DisposeAsync()
    {
        await db.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    /// <summary>Stores <see cref="PerRound"/> messages with a 4 KiB attachment file each, hands them out and confirms them.</summary>
    private async Task DeliverRoundAsync()
    {
        for (var i = 0; i < PerRound; i++)
        {
            var timestamp = nextTimestamp++;
            var file = Path.Combine(folder, $"{timestamp}.bin");
            await File.WriteAllBytesAsync(file, new byte[4096]);
            await db.Inbox.InsertAsync(new InboxItem
            {
                Timestamp = (ulong)timestamp,
                ServerTimestamp = (ulong)timestamp,
                Sender = new InboxSender(Guid.Parse("7a3a4d58-2b44-4a36-8f3e-6a4f3b1d9c01"), "+4366412345678", 1),
                Body = new string('x', 300),
                Attachments = [new InboxAttachment("application/octet-stream", "f.bin", 4096, file)],
            });
        }

        while (await db.Inbox.LeaseAsync(100) is { Count: > 0 } leased)
        {
            await db.Inbox.ConfirmAsync(leased.Select(item => item.Id).ToList());
        }
    }

    private long DatabaseBytes() =>
        new[] { "", "-wal" }.Select(suffix => new FileInfo(db.DatabasePath + suffix)).Where(f => f.Exists).Sum(f => f.Length);

    [Fact]
    public async Task Under_a_steady_stream_delivered_items_and_files_go_and_the_database_stays_flat()
    {
        var retention = new InboxRetention(db, TimeSpan.Zero, TimeSpan.FromMinutes(1), NullLogger.Instance);
        var sizes = new List<long>();
        for (var round = 0; round < Rounds; round++)
        {
            await DeliverRoundAsync();
            Assert.Equal(PerRound, await retention.SweepAsync(CancellationToken.None));
            Assert.Empty(Directory.GetFiles(folder));
            sizes.Add(DatabaseBytes());
        }

        // After a few rounds the freed pages are reused: the last round's size is no larger than the fourth's,
        // while without retention 3,600 items with their attachment rows would have added about 1.5 MB.
        Assert.True(sizes[^1] <= sizes[3], $"database and log grew: {string.Join(", ", sizes)}");
        Assert.Equal(0, await db.Inbox.CountPendingAsync());
        Assert.Null(await db.Inbox.GetAsync(1));
    }

    [Fact]
    public async Task Items_within_the_keep_time_and_items_not_yet_confirmed_stay_with_their_files()
    {
        await DeliverRoundAsync();
        var waiting = nextTimestamp;
        var file = Path.Combine(folder, "waiting.bin");
        await File.WriteAllBytesAsync(file, [1]);
        await db.Inbox.InsertAsync(new InboxItem
        {
            Timestamp = (ulong)waiting,
            ServerTimestamp = (ulong)waiting,
            Body = "not handed out yet",
            Attachments = [new InboxAttachment(null, "w.bin", 1, file)],
        });

        var keeping = new InboxRetention(db, TimeSpan.FromHours(1), TimeSpan.FromMinutes(1), NullLogger.Instance);
        Assert.Equal(0, await keeping.SweepAsync(CancellationToken.None));
        Assert.Equal(PerRound + 1, Directory.GetFiles(folder).Length);

        var pruning = new InboxRetention(db, TimeSpan.Zero, TimeSpan.FromMinutes(1), NullLogger.Instance);
        Assert.Equal(PerRound, await pruning.SweepAsync(CancellationToken.None));
        Assert.Equal([file], Directory.GetFiles(folder));
        Assert.Equal("not handed out yet", Assert.Single(await db.Inbox.LeaseAsync(10)).Body);
    }
}
