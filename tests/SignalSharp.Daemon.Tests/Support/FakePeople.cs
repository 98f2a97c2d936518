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
}
