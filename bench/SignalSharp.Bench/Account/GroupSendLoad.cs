using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using SignalSharp.Account;
using SignalSharp.Account.Linking;
using SignalSharp.Account.Storage;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Profiles;
using SignalSharp.Store.Groups;

namespace SignalSharp.Bench.Account;

/// <summary>
/// Group send to a 100-member group (the phone, i.e. this account, and 99 mock contacts made with createAccount)
/// against Signal's mock server: `dotnet run -c Release --project bench/SignalSharp.Bench -- group-send [SENDS]`.
/// Prints per send the client-side time (everything but the server round trips: pre-key fetches, 1:1 sends and the
/// multi-recipient send) and the total. The first send also builds 99 sessions and distributes the sender key;
/// the later ones are the steady state (one sender-key message sealed v2 for 99 recipients, one server call).
/// </summary>
internal static class GroupSendLoad
{
    private const int Contacts = 99;

    public static async Task<int> RunAsync(string[] args)
    {
        var sends = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync("Alice", ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-bench-group-").FullName;
        try
        {
            var profilePath = Path.Combine(config, "mock.json");
            mock.WriteServerProfile(profilePath);
            Task<JsonNode?>? phoneSide = null;
            var record = await new DeviceLinker(ServerProfile.Load(profilePath), config) { OneTimePreKeyCount = 10 }.LinkAsync("group bench", uri =>
                phoneSide = mock.CommandAsync("link", new JsonObject { ["provisionUrl"] = uri.OriginalString }, ct), ct);
            await phoneSide!.WaitAsync(ct);
            await using var account = (await LinkedAccount.OpenAsync(AccountDirectory.For(config, record.Name), cancellationToken: ct))!;
            await account.StartAsync(ct);

            var setup = Stopwatch.StartNew();
            var names = new JsonArray();
            for (var i = 0; i < Contacts; i++)
            {
                var name = $"member{i:D3}";
                await mock.CommandAsync("createAccount", new JsonObject { ["name"] = name }, ct);
                names.Add(name);
            }

            // The phone creates the group and syncs its storage; the account learns it as it would any group.
            var created = (await mock.CommandAsync("createGroup", new JsonObject
            {
                ["by"] = "phone", ["title"] = "Bench group", ["members"] = names, ["storageSync"] = true,
            }, ct))!;
            var groupId = Convert.FromBase64String(created["groupId"]!.GetValue<string>());
            GroupRecord? group = null;
            for (var i = 0; i < 1200 && group is null; i++)
            {
                await Task.Delay(100, ct);
                group = await account.Database.Groups.GetAsync(groupId, ct);
            }

            if (group is null)
            {
                Console.Error.WriteLine("the account did not learn the group from the storage sync");
                return 1;
            }

            Console.WriteLine($"setup: {Contacts} mock accounts and a {group.Members.Count}-member group in {setup.Elapsed.TotalSeconds:F1} s");

            var client = new List<double>();
            var total = new List<double>();
            var store = new List<double>();
            var encrypt = new List<double>();
            for (var i = 0; i <= sends; i++)
            {
                var timestamp = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + (ulong)i;
                var report = await account.SendGroupDataAsync(group, new SignalSharp.Account.Proto.DataMessage { Body = $"bench {i}", Timestamp = timestamp }, timestamp, ct);
                if (report.SenderKeyRecipients != Contacts || !report.MultiRecipient)
                {
                    Console.Error.WriteLine($"send {i}: {report.SenderKeyRecipients} by sender key, {report.FallbackRecipients} 1:1, unreachable {report.Unreachable.Count}");
                    return 1;
                }

                if (i == 0)
                {
                    Console.WriteLine($"group send token from the group's endorsements: {(report.Endorsed ? "yes" : "no")}");
                    Console.WriteLine($"first send (99 sessions from pre-key bundles, 99 sender-key distributions 1:1): client {report.ClientTime.TotalMilliseconds:F1} ms, total {report.Total.TotalMilliseconds:F0} ms");
                    continue;
                }

                client.Add(report.ClientTime.TotalMilliseconds);
                store.Add(report.StoreTime.TotalMilliseconds);
                encrypt.Add(report.EncryptTime.TotalMilliseconds);
                total.Add(report.Total.TotalMilliseconds);
            }

            Console.WriteLine($"steady state, {sends} sends to {Contacts} recipients (one sealed v2 sender-key message, one multi-recipient call):");
            Console.WriteLine($"  client-side  median {Percentile(client, 50):F1} ms  p90 {Percentile(client, 90):F1} ms  min {client.Min():F1} ms  (target <= 50 ms)");
            Console.WriteLine($"    of which   store reads (devices, identities, sessions, shares) median {Percentile(store, 50):F1} ms; sender-key + sealed v2 encryption median {Percentile(encrypt, 50):F1} ms");
            Console.WriteLine($"  total        median {Percentile(total, 50):F1} ms  p90 {Percentile(total, 90):F1} ms  min {total.Min():F1} ms");
            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(config, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static double Percentile(List<double> values, int p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1)];
    }
}
