using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Account.Linking;
using SignalSharp.Account.Storage;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Account.Tests.People;

/// <summary>
/// A rotation on a SignalSharp primary reaches its linked SignalSharp device as Signal's primaries tell theirs: a
/// partial contact sync whose only entry is the account itself with the new profile key. The linked device takes the
/// key (stored, and carried by its next message to Alice, whose libsignal reads it).
/// </summary>
public sealed class MockPrimaryProfileKeyRotationTests
{
    [Fact]
    public async Task The_primarys_new_profile_key_reaches_its_linked_device()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var ct = timeout.Token;
        await using var mock = await MockServer.StartAsync("Alice", ct);
        using var registeredPrimary = await RegisteredPrimary.CreateAsync(mock, ct);
        var secondConfig = Directory.CreateTempSubdirectory("signalsharp-second-").FullName;
        try
        {
            var number = registeredPrimary.Number;
            await using var primary = await registeredPrimary.OpenAsync(ct);
            await primary.StartAsync(ct);
            await registeredPrimary.LinkSecondDeviceAsync(primary, secondConfig, ct);
            await using var second = (await LinkedAccount.OpenAsync(AccountDirectory.For(secondConfig, number), cancellationToken: ct))!;
            await second.StartAsync(ct);
            var oldKey = primary.Record.ProfileKey!;
            Assert.Equal(oldKey, second.Record.ProfileKey);

            await primary.People.UpdateProfileAsync(new ProfileUpdate("Ada", null, null, null) { RotateProfileKey = true }, ct);

            var newKey = primary.Record.ProfileKey!;
            Assert.NotEqual(oldKey, newKey);
            while (!second.Record.ProfileKey!.AsSpan().SequenceEqual(newKey))
            {
                await Task.Delay(100, ct);
            }

            Assert.Equal(newKey, (await AccountRecord.LoadAsync(second.Database, ct))!.ProfileKey);
            var alice = Guid.Parse(mock.Contact("alice")["aci"]!.GetValue<string>());
            await second.SendMessageAsync(new RecipientTarget(RecipientAddress.Aci(new Aci(alice))), new OutgoingMessage("from the linked device", []), ct);
            var atAlice = await mock.WaitForDataMessageAsync("alice", ct);
            Assert.Equal(("from the linked device", 2), ((string?)atAlice["body"], (int)atAlice["source"]!["deviceId"]!));
            Assert.Equal(Convert.ToBase64String(newKey), (string?)atAlice["profileKey"]);
        }
        finally
        {
            try
            {
                Directory.Delete(secondConfig, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
