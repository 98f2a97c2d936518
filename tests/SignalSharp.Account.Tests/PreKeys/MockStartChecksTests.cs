using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Account.PreKeys;
using SignalSharp.Account.Storage;
using SignalSharp.Account.Tests.Groups;

namespace SignalSharp.Account.Tests.PreKeys;

/// <summary>
/// Issue 18: the start admits sends once the socket is up; the pre-key check runs after it, beside the first sends.
/// Held here (a test knob), it shows that a send does not wait for it, and that it still refills the keys the contacts
/// used once it runs.
/// </summary>
public sealed class MockStartChecksTests
{
    [Fact]
    public async Task A_send_goes_out_before_the_start_checks_and_the_checks_still_refill_the_keys()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var ct = timeout.Token;
        await using var mock = await Interop.Testing.MockServer.StartAsync("Alice", ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-startchecks-").FullName;
        try
        {
            // Linking uploads 10 one-time keys per identity; the phone and Alice take one ACI key each (8 left, below 10).
            var (record, _) = await LinkedMock.LinkAsync(mock, config, front: false, "phone", ct);
            var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var options = new LinkedAccountOptions { BeforeStartChecks = stop => held.Task.WaitAsync(stop) };
            await using var account = (await LinkedAccount.OpenAsync(AccountDirectory.For(config, record.Name), null, options, null, ct))!;

            await account.StartAsync(ct);
            Assert.False(account.StartChecks.IsCompleted);
            var alice = mock.Contact("alice")["aci"]!.GetValue<string>();
            var sent = await account.SendMessageAsync(new RecipientTarget(RecipientAddress.Aci(Aci.Parse(alice))), new OutgoingMessage("before the checks", []), ct);
            var atAlice = (await mock.CommandAsync("waitForMessage", new JsonObject { ["at"] = "alice" }, ct))!;
            Assert.Equal("before the checks", atAlice["body"]!.GetValue<string>());
            Assert.Equal(sent.Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), atAlice["timestamp"]!.ToString());
            // Nothing refilled yet: the server still holds fewer than Signal's minimum.
            Assert.False(account.StartChecks.IsCompleted);
            Assert.InRange((await account.PreKeys.GetCountsAsync(false, ct)).Count, 0, PreKeyMaintenance.RefillThreshold - 1);

            held.SetResult();
            await account.StartChecks.WaitAsync(ct);
            var counts = await account.PreKeys.GetCountsAsync(false, ct);
            Assert.InRange(counts.Count, PreKeyMaintenance.RefillBatch - 2, PreKeyMaintenance.RefillBatch);
            Assert.InRange(counts.PqCount, PreKeyMaintenance.RefillBatch - 2, PreKeyMaintenance.RefillBatch);
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    [Fact]
    public async Task Closing_the_account_while_the_start_checks_are_held_ends_them()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var ct = timeout.Token;
        await using var mock = await Interop.Testing.MockServer.StartAsync("Alice", ct);
        var config = Directory.CreateTempSubdirectory("signalsharp-startchecks-").FullName;
        try
        {
            var (record, _) = await LinkedMock.LinkAsync(mock, config, front: false, "phone", ct);
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var options = new LinkedAccountOptions
            {
                BeforeStartChecks = async stop =>
                {
                    reached.SetResult();
                    await Task.Delay(Timeout.Infinite, stop);
                },
            };
            var account = (await LinkedAccount.OpenAsync(AccountDirectory.For(config, record.Name), null, options, null, ct))!;
            await account.StartAsync(ct);
            await reached.Task.WaitAsync(ct);
            var checks = account.StartChecks;

            // The close stops the held checks and waits for them before the database closes; nothing is left running.
            await account.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30), ct);
            Assert.True(checks.IsCompletedSuccessfully);
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }
}
