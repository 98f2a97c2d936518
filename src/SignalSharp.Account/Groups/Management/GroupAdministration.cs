using Microsoft.Extensions.Logging;
using SignalSharp.Account.Api;
using SignalSharp.Account.Storage;
using SignalSharp.Service.Groups;
using SignalSharp.Store;

namespace SignalSharp.Account.Groups.Management;

/// <summary>
/// Running groups from the account (signal-cli's updateGroup, quitGroup, joinGroup): each request becomes a group
/// created or changed on the group server, stored as the server signed it, and announced to the members.
/// </summary>
internal sealed class GroupAdministration
{
    private readonly Func<RecipientAddress, CancellationToken, Task<Guid>> resolve;
    private readonly GroupAnnouncer announce;
    private readonly GroupCreator creator;

    public GroupAdministration(GroupManager groups, ProfileKeyCredentialApi credentialApi, Func<RecipientAddress, CancellationToken, Task<Guid>> resolve,
        GroupAnnouncer announce, AccountDatabase db, AccountRecord record, ILogger logger)
    {
        this.resolve = resolve;
        this.announce = announce;
        var presentations = new MemberPresentations(credentialApi, () => groups.ServerParams, TimeProvider.System);
        creator = new GroupCreator(db, record, groups, presentations, logger);
    }

    /// <summary>Creates a group with <see cref="GroupChangeRequest.Name"/>, the members to add, description and timer, and tells the members.</summary>
    public async Task<GroupChangeResult> CreateAsync(GroupChangeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            throw new GroupChangeFailedException("a new group needs a name");
        }

        var members = new List<Guid>();
        foreach (var address in request.AddMembers)
        {
            members.Add(await resolve(address, cancellationToken).ConfigureAwait(false));
        }

        var created = await creator.CreateAsync(request.Name, members, request.Description, (uint)Math.Max(0, request.ExpirationSeconds ?? 0), cancellationToken)
            .ConfigureAwait(false);
        var (timestamp, results) = await announce(created, null, [], cancellationToken).ConfigureAwait(false);
        return new GroupChangeResult(new GroupId(created.GroupId), created.Revision, timestamp, results);
    }
}
