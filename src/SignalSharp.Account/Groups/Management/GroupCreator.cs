using Google.Protobuf;
using Microsoft.Extensions.Logging;
using SignalSharp.Account.Api;
using GroupMember = SignalSharp.Account.Proto.GroupServer.GroupMember;
using SignalSharp.Account.Proto.GroupServer;
using SignalSharp.Account.Storage;
using SignalSharp.Service;
using SignalSharp.Service.Groups;
using SignalSharp.Store;
using SignalSharp.Store.Groups;
using SignalSharp.ZkGroup;
using SignalSharp.ZkGroup.Groups;

namespace SignalSharp.Account.Groups.Management;

/// <summary>
/// Creates a group on the group server (<c>PUT /v2/groups</c>) as Signal's apps do: a fresh master key, the title,
/// description and timer encrypted, members and details editable by every member, no invite link, the account an
/// administrator. Contacts whose profile key the account knows join as members (each with a profile key credential
/// presentation); the others are invited (pending until they accept, as their apps let them).
/// </summary>
internal sealed class GroupCreator(AccountDatabase db, AccountRecord record, GroupManager groups, MemberPresentations presentations, ILogger logger)
{
    /// <summary>Creates the group and stores it at revision 0.</summary>
    /// <exception cref="GroupChangeFailedException">No profile key of our own, or the server refused the group.</exception>
    public async Task<GroupRecord> CreateAsync(string name, IReadOnlyList<Guid> memberAcis, string? description, uint timerSeconds, CancellationToken cancellationToken,
        byte[]? avatarImage = null)
    {
        var ownProfileKey = record.ProfileKey ?? throw new GroupChangeFailedException("the account has no profile key (link it again)");
        var secretParams = GroupSecretParams.Generate();
        var encryption = new GroupEncryption(secretParams);
        var publicParams = secretParams.PublicParams.Serialize();
        var group = new GroupStateMessage
        {
            PublicKey = ByteString.CopyFrom(publicParams),
            Version = 0,
            Title = encryption.Title(name),
            DisappearingMessagesTimer = encryption.Timer(timerSeconds),
            AccessControl = new GroupAccessControl { Attributes = GroupAccess.Member, Members = GroupAccess.Member, AddFromInviteLink = GroupAccess.Unsatisfiable },
        };
        if (!string.IsNullOrEmpty(description))
        {
            group.Description = encryption.Description(description);
        }

        try
        {
            if (avatarImage is not null)
            {
                // As Signal's apps do: the avatar goes up first, the new group names it.
                group.AvatarUrl = await groups.Avatars.UploadAsync(groups, secretParams, avatarImage, cancellationToken).ConfigureAwait(false);
            }

            group.Members.Add(new GroupMember
            {
                Role = GroupAccess.RoleAdministrator,
                Presentation = ByteString.CopyFrom(await presentations.PresentAsync(record.Aci, ownProfileKey, secretParams, cancellationToken).ConfigureAwait(false)),
            });
            var invitedBy = encryption.UserId(record.Aci);
            foreach (var aci in memberAcis.Where(a => a != record.Aci).Distinct())
            {
                if (await PresentationOfAsync(aci, secretParams, cancellationToken).ConfigureAwait(false) is { } presentation)
                {
                    group.Members.Add(new GroupMember { Role = GroupAccess.RoleDefault, Presentation = ByteString.CopyFrom(presentation) });
                }
                else
                {
                    group.MembersPendingProfileKey.Add(new GroupMemberPendingProfileKey
                    {
                        Member = new GroupMember { UserId = encryption.UserId(aci), Role = GroupAccess.RoleDefault },
                        AddedByUserId = invitedBy,
                        Timestamp = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                    });
                }
            }

            var response = await groups.Server.CreateGroupAsync(publicParams, await groups.PresentAuthAsync(secretParams, cancellationToken).ConfigureAwait(false),
                group.ToByteArray(), cancellationToken).ConfigureAwait(false);
            var state = GroupStateDecryptor.DecryptResponse(secretParams, response);
            GroupAdminLog.Created(logger, Convert.ToBase64String(state.GroupId), state.Members.Count, state.Pending.Count);
            await groups.StateGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await groups.StoreStateAsync(state, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                groups.StateGate.Release();
            }
        }
        catch (Exception e) when (e is ServiceException and not ServiceConnectionException and not ServiceAuthenticationException || e is ZkGroupException)
        {
            throw new GroupChangeFailedException(e.Message, e);
        }
    }

    /// <summary>A presentation for a contact whose profile key we hold; null when we hold none or the server issues no credential for it.</summary>
    internal async Task<byte[]?> PresentationOfAsync(Guid aci, GroupSecretParams secretParams, CancellationToken cancellationToken)
    {
        var profileKey = (await db.Recipients.GetByAciAsync(aci, cancellationToken).ConfigureAwait(false))?.ProfileKey;
        if (profileKey is not { Length: 32 })
        {
            return null;
        }

        try
        {
            return await presentations.PresentAsync(aci, profileKey, secretParams, cancellationToken).ConfigureAwait(false);
        }
        catch (ProfileCredentialUnavailableException e)
        {
            GroupAdminLog.NoCredential(logger, aci, e.GetType().Name);
            return null;
        }
    }
}
