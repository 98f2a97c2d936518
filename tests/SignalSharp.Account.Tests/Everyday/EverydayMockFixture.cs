using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Account.Tests.Groups;

namespace SignalSharp.Account.Tests.Everyday;

/// <summary>
/// One mock server (contacts Alice and Bob) and one account linked to its phone, shared by the everyday-message
/// tests: each test has a mock primary send Content written in Signal's field names (Signal's protos encode it, the
/// mock's libsignal encrypts it) and picks its own item out of what the account hands out.
/// </summary>
public class EverydayMockFixture : IAsyncLifetime
{
    private readonly List<ReceivedItem> pending = [];
    private LinkedMock? linked;
    private long lastTimestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    internal LinkedMock Linked => linked ?? throw new InvalidOperationException("not started");

    public Guid OwnAci => Linked.Account.Record.Aci;

    public string OwnNumber => Linked.Account.Record.Number ?? throw new InvalidOperationException("the mock account has a number");

    public Guid AciOf(string contact) => Guid.Parse(Linked.Mock.Contact(contact)["aci"]!.GetValue<string>());

    public string NumberOf(string contact) => Linked.Mock.Contact(contact)["number"]!.GetValue<string>();

    /// <summary>How the account runs (a fixture for stories turns them on).</summary>
    protected virtual LinkedAccountOptions Options => LinkedAccountOptions.Default;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        linked = await LinkedMock.StartAsync("Alice,Bob", Options, timeout.Token);
        // The phone's contact sync names Alice and Bob by number; mentions and quotes are shown by number after it.
        while (await linked.Account.Database.Contacts.GetByE164Async(NumberOf("bob"), timeout.Token) is null)
        {
            await Task.Delay(100, timeout.Token);
        }
    }

    public async Task DisposeAsync()
    {
        if (linked is not null)
        {
            await linked.DisposeAsync();
        }
    }

    /// <summary>A timestamp no earlier test used, so each item is told apart by it.</summary>
    public long NextTimestamp() => Interlocked.Increment(ref lastTimestamp);

    /// <summary><paramref name="from"/> ("alice", "bob" or "phone") sends <paramref name="content"/> to the linked account.</summary>
    public async Task SendAsync(string from, JsonObject content, long timestamp, CancellationToken ct, bool isSealed = false) =>
        await Linked.Mock.CommandAsync("sendContent", new JsonObject
        {
            ["from"] = from, ["content"] = content, ["timestamp"] = timestamp, ["sealed"] = isSealed,
        }, ct);

    /// <summary>Stores <paramref name="data"/> on the mock's CDN and returns its AttachmentPointer in Signal's field names.</summary>
    public async Task<JsonObject> UploadAsync(byte[] data, string contentType, string? fileName, CancellationToken ct)
    {
        var stored = (await Linked.Mock.CommandAsync("storeAttachment", new JsonObject { ["dataBase64"] = Convert.ToBase64String(data) }, ct))!;
        var pointer = new JsonObject
        {
            ["attachmentIdentifier"] = new JsonObject { ["cdnKey"] = stored["cdnKey"]!.GetValue<string>() },
            ["cdnNumber"] = stored["cdnNumber"]!.GetValue<int>(),
            ["contentType"] = contentType,
            ["key"] = new JsonObject { ["$bytes"] = stored["key"]!.GetValue<string>() },
            ["digest"] = new JsonObject { ["$bytes"] = stored["digest"]!.GetValue<string>() },
            ["size"] = stored["size"]!.GetValue<int>(),
        };
        if (fileName is not null)
        {
            pointer["fileName"] = fileName;
        }

        return pointer;
    }

    /// <summary>The first handed-out item that <paramref name="match"/> accepts; others are kept for later tests.</summary>
    public async Task<T> ReceiveAsync<T>(Func<T, bool> match, CancellationToken ct) where T : ReceivedItem
    {
        while (true)
        {
            lock (pending)
            {
                var found = pending.OfType<T>().FirstOrDefault(match);
                if (found is not null)
                {
                    pending.Remove(found);
                    return found;
                }
            }

            await using var batch = await Linked.Account.ReceiveAsync(new ReceiveRequest(TimeSpan.FromSeconds(2), false), ct);
            await batch.ConfirmAsync(ct);
            lock (pending)
            {
                pending.AddRange(batch.Items);
            }
        }
    }

    /// <summary>Every item handed out so far that no test claimed, after one more wait.</summary>
    public async Task<IReadOnlyList<ReceivedItem>> UnclaimedAsync(CancellationToken ct)
    {
        await using var batch = await Linked.Account.ReceiveAsync(new ReceiveRequest(TimeSpan.FromSeconds(2), false), ct);
        await batch.ConfirmAsync(ct);
        lock (pending)
        {
            pending.AddRange(batch.Items);
            return [.. pending];
        }
    }

    /// <summary>A minute for one test's whole exchange with the mock.</summary>
    public static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    /// <summary>A number or service id as the account's contract takes it.</summary>
    public static RecipientAddress Address(string text) =>
        RecipientAddress.TryParse(text, out var address) ? address.Value : throw new ArgumentException(text);

    public static JsonObject U64(long value) => new() { ["$u64"] = value.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    public static JsonObject Bytes(byte[] value) => new() { ["$bytes"] = Convert.ToBase64String(value) };

    public static JsonObject Aci(Guid aci) => Bytes(aci.ToByteArray(bigEndian: true));

    public static JsonObject Data(JsonObject dataMessage) => new() { ["content"] = new JsonObject { ["dataMessage"] = dataMessage } };
}
