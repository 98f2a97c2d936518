using System.Globalization;
using SignalSharp.Store.Inbox;

namespace SignalSharp.Store.Tests;

/// <summary>
/// The test assembly's entry point. Run with no arguments it does nothing (xunit does not need it); run as
/// <c>dotnet SignalSharp.Store.Tests.dll insert|take|lease DIR COUNT</c> it becomes the child process that the crash
/// tests kill with SIGKILL: it reports each inbox operation on stdout only after the store call returned, the
/// way the daemon acks the server only after InsertAsync returned.
/// </summary>
public static class CrashHost
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 3)
        {
            return 0;
        }

        var directory = args[1];
        var count = int.Parse(args[2], CultureInfo.InvariantCulture);
        // The default (Normal) is what the daemon runs with; "-full" runs with fsync on every commit.
        var options = new AccountDatabaseOptions { Durability = args[0].EndsWith("-full", StringComparison.Ordinal) ? Durability.Full : Durability.Normal };
        await using var db = await AccountDatabase.OpenAsync(directory, options);
        var output = Console.Out;
        switch (args[0])
        {
            case "insert" or "insert-full":
                for (var i = 0; i < count; i++)
                {
                    await db.Inbox.InsertAsync(Item(i));
                    output.WriteLine("acked " + i.ToString(CultureInfo.InvariantCulture));
                    output.Flush();
                }

                break;
            case "take":
                while (true)
                {
                    var items = await db.Inbox.TakeAsync(3);
                    foreach (var item in items)
                    {
                        output.WriteLine("took " + item.Timestamp.ToString(CultureInfo.InvariantCulture));
                    }

                    output.Flush();
                    // A client's pace, so the parent can kill us mid-way.
                    await Task.Delay(items.Count == 0 ? 50 : 2);
                }

            case "lease":
                // Every other batch is confirmed (its client got it), the rest stay leased when the kill lands.
                for (var round = 0; ; round++)
                {
                    var items = await db.Inbox.LeaseAsync(3);
                    foreach (var item in items)
                    {
                        output.WriteLine("leased " + item.Timestamp.ToString(CultureInfo.InvariantCulture));
                    }

                    output.Flush();
                    if (round % 2 == 0 && items.Count > 0)
                    {
                        await db.Inbox.ConfirmAsync(items.Select(i => i.Id).ToList());
                        foreach (var item in items)
                        {
                            output.WriteLine("confirmed " + item.Timestamp.ToString(CultureInfo.InvariantCulture));
                        }

                        output.Flush();
                    }

                    await Task.Delay(items.Count == 0 ? 50 : 2);
                }

            default:
                return 2;
        }

        output.WriteLine("done");
        output.Flush();
        // Stay alive until killed, holding the database open like a running daemon.
        await Task.Delay(Timeout.Infinite);
        return 0;
    }

    public static readonly Guid Sender = Guid.Parse("11111111-2222-4333-8444-555555555555");

    public static InboxItem Item(int i) => new()
    {
        Timestamp = 1_700_000_000_000UL + (ulong)i,
        ServerTimestamp = 1_700_000_000_500UL + (ulong)i,
        Sender = new InboxSender(Sender, "+15550001111", 1),
        Body = "message " + i.ToString(CultureInfo.InvariantCulture),
    };
}
