using System.Text.Json.Nodes;
using SignalSharp.Account.Linking;
using SignalSharp.Account.Storage;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Profiles;
using SignalSharp.Store.Groups;

namespace SignalSharp.Account.Tests.Groups;

/// <summary>
/// A mock server with the given contacts and a started account linked to its phone, removed afterwards; with
/// <c>front</c>, reached through the production-style front with a production-style profile (REST instead of gRPC).
/// </summary>
internal sealed class LinkedMock : IAsyncDisposable
{
    private readonly string config;

    private LinkedMock(MockServer mock, LinkedAccount account, string config)
    {
        Mock = mock;
        Account = account;
        this.config = config;
    }

    public MockServer Mock { get; }

    public LinkedAccount Account { get; }

    /// <summary>The data directory the account lives under.</summary>
    public string ConfigFolder => config;

    public static Task<LinkedMock> StartAsync(string contacts, CancellationToken ct) => StartAsync(contacts, LinkedAccountOptions.Default, ct);

    /// <param name="beforeStart">Runs on the opened account before it starts (to look at what linking stored).</param>
    public static async Task<LinkedMock> StartAsync(string contacts, LinkedAccountOptions options, CancellationToken ct, bool front = false,
        Func<LinkedAccount, Task>? beforeStart = null)
    {
        var mock = front ? await MockServer.StartWithFrontAsync(contacts, ct) : await MockServer.StartAsync(contacts, ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-groupmsg-").FullName;
        try
        {
            var (record, _) = await LinkAsync(mock, config, front, "phone", ct);
            var account = (await LinkedAccount.OpenAsync(AccountDirectory.For(config, record.Name), null, options, null, ct))!;
            if (beforeStart is not null)
            {
                await beforeStart(account);
            }

            await account.StartAsync(ct);
            // The start's pre-key check runs on after sends are admitted; tests begin once it is done.
            await account.StartChecks;
            return new LinkedMock(mock, account, config);
        }
        catch
        {
            await mock.DisposeAsync();
            Directory.Delete(config, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// Links a device in <paramref name="config"/> to the mock primary <paramref name="primary"/>, directly or through
    /// the front (its production-style profile); returns the saved account and what the phone side reported.
    /// </summary>
    public static async Task<(AccountRecord Record, JsonNode Linked)> LinkAsync(MockServer mock, string config, bool front, string primary, CancellationToken ct)
    {
        var profilePath = Path.Combine(config, front ? "front.json" : "mock.json");
        if (front)
        {
            mock.WriteFrontProfile(profilePath, ("omnibus", "2"), ("legacy", "1.1"));
        }
        else
        {
            mock.WriteServerProfile(profilePath);
        }

        Task<JsonNode?>? phoneSide = null;
        var linker = new DeviceLinker(ServerProfile.Load(profilePath), config) { OneTimePreKeyCount = 10 };
        var record = await linker.LinkAsync("SignalSharp test", uri =>
            phoneSide = mock.CommandAsync("link", new JsonObject { ["provisionUrl"] = uri.OriginalString, ["primary"] = primary }, ct), ct);
        return (record, (await phoneSide!.WaitAsync(ct))!);
    }

    /// <summary>What the group manager would store after learning the group: its state as the harness created it.</summary>
    public static GroupRecord RecordOf(MockGroup group) => new(
        group.GroupId, group.MasterKey, group.Revision, group.Title,
        [.. group.Members.Select(m => new GroupMemberRecord(m.Aci, m.Role, m.ProfileKey, group.Revision))], [], [], false, null, DateTimeOffset.UtcNow);

    public async ValueTask DisposeAsync()
    {
        await Account.DisposeAsync();
        await Mock.DisposeAsync();
        try
        {
            Directory.Delete(config, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
