using Google.Protobuf;
using SignalSharp.Account.Proto.GroupServer;
using SignalSharp.ZkGroup;
using SignalSharp.ZkGroup.Groups;

namespace SignalSharp.Account.Groups;

/// <summary>
/// Turns the group server's encrypted state into a <see cref="GroupState"/>: member ids (UuidCiphertext) and
/// profile keys (ProfileKeyCiphertext) through zkgroup, title, description and timer through the group's blob
/// cipher (AES-GCM-SIV) into GroupAttributeBlob.
/// </summary>
internal static class GroupStateDecryptor
{
    /// <exception cref="GroupStateDecryptionException">Not a GroupResponse, or an element did not decrypt.</exception>
    public static GroupState DecryptResponse(GroupSecretParams secretParams, byte[] groupResponse)
    {
        GroupResponseMessage response;
        try
        {
            response = GroupResponseMessage.Parser.ParseFrom(groupResponse);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new GroupStateDecryptionException("the GroupResponse", e);
        }

        if (response.Group is null)
        {
            throw new GroupStateDecryptionException("the GroupResponse (no group in it)");
        }

        var endorsements = response.GroupSendEndorsementsResponse.IsEmpty ? null : response.GroupSendEndorsementsResponse.ToByteArray();
        return Decrypt(secretParams, response.Group, endorsements);
    }

    public static GroupState Decrypt(GroupSecretParams secretParams, GroupStateMessage group, byte[]? endorsementsResponse)
    {
        var cipher = new ClientZkGroupCipher(secretParams);
        if (!group.PublicKey.IsEmpty && !group.PublicKey.Span.SequenceEqual(secretParams.PublicParams.Serialize()))
        {
            throw new GroupStateDecryptionException("the group (its public key is not this master key's)");
        }

        var members = new List<GroupMemberState>(group.Members.Count);
        foreach (var member in group.Members)
        {
            var aci = DecryptAci(cipher, member.UserId, "a member id");
            byte[]? profileKey = null;
            if (!member.ProfileKey.IsEmpty)
            {
                profileKey = Guard("a member profile key", () =>
                    cipher.DecryptProfileKey(ProfileKeyCiphertext.Deserialize(member.ProfileKey.Span), ZkServiceId.Aci(aci.ToByteArray(bigEndian: true))));
            }

            members.Add(new GroupMemberState(aci, (int)member.Role, profileKey, member.JoinedAtVersion));
        }

        var pending = new List<PendingGroupMember>(group.MembersPendingProfileKey.Count);
        foreach (var invited in group.MembersPendingProfileKey)
        {
            var serviceId = DecryptServiceId(cipher, invited.Member?.UserId ?? ByteString.Empty, "an invited member id");
            Guid? addedBy = invited.AddedByUserId.IsEmpty ? null : DecryptAci(cipher, invited.AddedByUserId, "an inviter id");
            pending.Add(new PendingGroupMember(
                new Guid(serviceId.Uuid, bigEndian: true), serviceId.Kind == ZkServiceIdKind.Pni, (int)(invited.Member?.Role ?? 0), addedBy));
        }

        var requesting = new List<RequestingGroupMember>(group.MembersPendingAdminApproval.Count);
        foreach (var request in group.MembersPendingAdminApproval)
        {
            var aci = DecryptAci(cipher, request.UserId, "a requesting member id");
            byte[]? profileKey = request.ProfileKey.IsEmpty ? null : Guard("a requesting member profile key", () =>
                cipher.DecryptProfileKey(ProfileKeyCiphertext.Deserialize(request.ProfileKey.Span), ZkServiceId.Aci(aci.ToByteArray(bigEndian: true))));
            requesting.Add(new RequestingGroupMember(aci, profileKey));
        }

        var banned = group.MembersBanned
            .Select(b => new Guid(DecryptServiceId(cipher, b.UserId, "a banned member id").Uuid, bigEndian: true))
            .ToList();

        return new GroupState(
            [.. secretParams.GroupIdentifier],
            secretParams.MasterKey.Serialize(),
            group.Version,
            group.Title.IsEmpty ? null : DecryptBlob(cipher, group.Title, "the title")?.Title,
            group.Description.IsEmpty ? null : DecryptBlob(cipher, group.Description, "the description")?.DescriptionText,
            group.DisappearingMessagesTimer.IsEmpty ? null : DecryptBlob(cipher, group.DisappearingMessagesTimer, "the timer") is { ContentCase: GroupAttributeBlobMessage.ContentOneofCase.DisappearingMessagesDuration } timer
                ? timer.DisappearingMessagesDuration
                : null,
            members,
            pending,
            requesting,
            banned,
            group.AnnouncementsOnly,
            group.Terminated,
            endorsementsResponse)
        {
            AttributesAccess = group.AccessControl?.Attributes ?? 0,
            MembersAccess = group.AccessControl?.Members ?? 0,
            AddFromInviteLinkAccess = group.AccessControl?.AddFromInviteLink ?? 0,
            InviteLinkPassword = group.InviteLinkPassword.IsEmpty ? null : group.InviteLinkPassword.ToByteArray(),
            AvatarKey = string.IsNullOrEmpty(group.AvatarUrl) ? null : group.AvatarUrl,
        };
    }

    internal static Guid DecryptAci(ClientZkGroupCipher cipher, ByteString userId, string what)
    {
        var serviceId = DecryptServiceId(cipher, userId, what);
        if (serviceId.Kind != ZkServiceIdKind.Aci)
        {
            throw new GroupStateDecryptionException(what + " (a PNI where an ACI belongs)");
        }

        return new Guid(serviceId.Uuid, bigEndian: true);
    }

    internal static ZkServiceId DecryptServiceId(ClientZkGroupCipher cipher, ByteString userId, string what) =>
        Guard(what, () => cipher.DecryptServiceId(UuidCiphertext.Deserialize(userId.Span)));

    internal static GroupAttributeBlobMessage? DecryptBlob(ClientZkGroupCipher cipher, ByteString blob, string what)
    {
        var plaintext = Guard(what, () => cipher.DecryptBlob(blob.Span));
        try
        {
            return GroupAttributeBlobMessage.Parser.ParseFrom(plaintext);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new GroupStateDecryptionException(what, e);
        }
    }

    internal static T Guard<T>(string what, Func<T> decrypt)
    {
        try
        {
            return decrypt();
        }
        catch (ZkGroupException e)
        {
            throw new GroupStateDecryptionException(what, e);
        }
    }
}
