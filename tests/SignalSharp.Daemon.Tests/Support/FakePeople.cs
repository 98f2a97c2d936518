using System.Collections.Concurrent;
using SignalSharp.Account.Api;

namespace SignalSharp.Daemon.Tests.Support;

/// <summary>The fake account's people: records each call, answers as the real account would shape it.</summary>
public sealed class FakePeople : IAccountPeople
{
    /// <summary>Every call, in order, as a short description.</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    public ProfileUpdate? LastProfileUpdate { get; private set; }

    public Task<OwnProfile> UpdateProfileAsync(ProfileUpdate update, CancellationToken cancellationToken)
    {
        LastProfileUpdate = update;
        Calls.Enqueue("updateProfile");
        if (update.AvatarPath is not null)
        {
            throw new InvalidPeopleRequestException("setting a profile avatar is not supported by SignalSharp yet (removeAvatar is)");
        }

        return Task.FromResult(new OwnProfile(update.GivenName ?? "Me", update.FamilyName, update.About, update.AboutEmoji, false));
    }

    public Task SetBlockedAsync(IReadOnlyList<RecipientAddress> people, IReadOnlyList<GroupId> groups, bool blocked, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"{(blocked ? "block" : "unblock")} {string.Join(',', people.Select(p => p.Value))} {string.Join(',', groups.Select(g => g.ToBase64()))}");
        return Task.CompletedTask;
    }

    public Task UpdateContactNameAsync(RecipientAddress recipient, string? name, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"name {recipient.Value} {name}");
        return Task.CompletedTask;
    }

    public Task RemoveContactAsync(RecipientAddress recipient, bool forget, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"remove {recipient.Value} {forget}");
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<DeviceSummary>> ListDevicesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<DeviceSummary>>(
    [
        new DeviceSummary(1, null, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_000), false),
        new DeviceSummary(2, "signal-sharp", DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_001), DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_002), true),
    ]);

    public Task RemoveDeviceAsync(uint deviceId, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"removeDevice {deviceId}");
        return Task.CompletedTask;
    }
}
