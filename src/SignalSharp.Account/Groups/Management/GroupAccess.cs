using Google.Protobuf;
using SignalSharp.Account.Proto.GroupServer;
using SignalSharp.ZkGroup;
using SignalSharp.ZkGroup.Groups;

namespace SignalSharp.Account.Groups.Management;

/// <summary>The group protocol's access levels (AccessControl.AccessRequired) and member roles, as numbers.</summary>
internal static class GroupAccess
{
    public const uint Unknown = 0;
    public const uint Any = 1;
    public const uint Member = 2;
    public const uint Administrator = 3;
    public const uint Unsatisfiable = 4;

    public const uint RoleDefault = 1;
    public const uint RoleAdministrator = 2;

    /// <summary>The length of an invite link password (Signal's apps make 16 random bytes).</summary>
    public const int InviteLinkPasswordLength = 16;
}

/// <summary>Encrypts what a group change carries: attribute blobs (title, description, timer) and member ids, under the group's keys.</summary>
internal sealed class GroupEncryption(GroupSecretParams secretParams)
{
    private readonly ClientZkGroupCipher cipher = new(secretParams);

    public GroupSecretParams SecretParams => secretParams;

    public ByteString Title(string title) => Blob(new GroupAttributeBlobMessage { Title = title });

    public ByteString Description(string description) => Blob(new GroupAttributeBlobMessage { DescriptionText = description });

    public ByteString Timer(uint seconds) => Blob(new GroupAttributeBlobMessage { DisappearingMessagesDuration = seconds });

    public ByteString UserId(Guid aci) => ByteString.CopyFrom(cipher.EncryptServiceId(ZkServiceId.Aci(aci.ToByteArray(bigEndian: true))).Serialize());

    public ByteString PniUserId(Guid pni) => ByteString.CopyFrom(cipher.EncryptServiceId(ZkServiceId.Pni(pni.ToByteArray(bigEndian: true))).Serialize());

    private ByteString Blob(GroupAttributeBlobMessage blob) => ByteString.CopyFrom(cipher.EncryptBlob(blob.ToByteArray()));
}
