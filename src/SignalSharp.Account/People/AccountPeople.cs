using SignalSharp.Account.Api;
using SignalSharp.Account.Profiles;

namespace SignalSharp.Account.People;

/// <summary>The account's <see cref="IAccountPeople"/>: routes each call to the helper that does it.</summary>
internal sealed class AccountPeople(OwnProfileWriter ownProfile) : IAccountPeople
{
    public Task<OwnProfile> UpdateProfileAsync(ProfileUpdate update, CancellationToken cancellationToken) => ownProfile.UpdateAsync(update, cancellationToken);
}
