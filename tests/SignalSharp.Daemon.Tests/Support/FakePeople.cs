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
            throw new InvalidPeopleRequestException($"the avatar file cannot be read: {update.AvatarPath}");
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

    public Task AddDeviceAsync(string linkUri, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"addDevice {linkUri}");
        return Task.CompletedTask;
    }

    /// <summary>The ACI <see cref="GetUserStatusAsync"/> reports for <see cref="FakeAccount.KnownNumber"/>.</summary>
    public static readonly Guid KnownAci = Guid.Parse("0a6b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d");

    public Task SetDeviceNameAsync(string name, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"deviceName {name}");
        return Task.CompletedTask;
    }

    public Task SendContactsAsync(CancellationToken cancellationToken)
    {
        Calls.Enqueue("sendContacts");
        return Task.CompletedTask;
    }

    /// <summary>The known number is registered, any service id is not, any other number cannot be looked up (as the real account).</summary>
    public Task<IReadOnlyList<UserStatus>> GetUserStatusAsync(IReadOnlyList<RecipientAddress> recipients, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"getUserStatus {string.Join(',', recipients.Select(r => r.Value))}");
        var unknown = recipients.Where(r => r.Kind == RecipientKind.PhoneNumber && r.Value != FakeAccount.KnownNumber).Select(r => r.Value).ToList();
        if (unknown.Count > 0)
        {
            throw new DirectoryLookupUnavailableException(unknown);
        }

        return Task.FromResult<IReadOnlyList<UserStatus>>(
        [
            .. recipients.Select(r => r.Kind == RecipientKind.PhoneNumber
                ? new UserStatus(r, r.Value, KnownAci, true)
                : new UserStatus(r, null, null, false)),
        ]);
    }

    public Task SendMessageRequestResponseAsync(IReadOnlyList<RecipientAddress> people, IReadOnlyList<GroupId> groups, MessageRequestResponse response,
        CancellationToken cancellationToken)
    {
        Calls.Enqueue($"messageRequestResponse {response} {string.Join(',', people.Select(p => p.Value).Concat(groups.Select(g => g.ToString())))}");
        return Task.CompletedTask;
    }

    /// <summary>The image <see cref="GetAvatarAsync"/> answers for <see cref="FakeAccount.MemberGroup"/>; every other avatar is not found.</summary>
    public static readonly byte[] GroupAvatar = [0x89, 0x50, 0x4e, 0x47, 0, 1, 2];

    public Task<byte[]> GetAvatarAsync(AvatarSource source, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"getAvatar {source}");
        return source is AvatarSource.Group { Id: var id } && id.Equals(FakeAccount.MemberGroup)
            ? Task.FromResult(GroupAvatar)
            : throw new AvatarNotFoundException();
    }
}
