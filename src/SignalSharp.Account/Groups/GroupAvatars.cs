using Google.Protobuf;
using Microsoft.Extensions.Logging;
using SignalSharp.Account.Avatars;
using SignalSharp.Account.Proto.GroupServer;
using SignalSharp.Service;
using SignalSharp.Service.Api;
using SignalSharp.Service.Http;
using SignalSharp.Service.Profiles;
using SignalSharp.Store;
using SignalSharp.ZkGroup;
using SignalSharp.ZkGroup.Groups;

namespace SignalSharp.Account.Groups;

/// <summary>
/// A group's avatar on CDN 0: the image is a group attribute blob (<c>GroupAttributeBlob.avatar</c>) encrypted with
/// the group's keys as the title is. Going up, the group server hands out a signed form for one upload and the
/// group then names the form's key; coming in, a group state or change naming a key the account has not stored
/// yet has the blob downloaded, decrypted and kept as signal-cli names it (<c>avatars/group-…</c>, 0600). The key
/// last stored is kept in the settings, so an unchanged avatar is not fetched again.
/// </summary>
internal sealed partial class GroupAvatars(AccountDatabase db, ServiceHttpClient http, AvatarFiles files, ILogger logger)
{
    /// <summary>An encrypted blob holds the image, a few bytes of protobuf framing and the cipher's nonce and tag.</summary>
    private const int MaxBlobBytes = AvatarFiles.MaxImageBytes + 1024;

    /// <summary>Encrypts <paramref name="image"/> for the group and uploads it; the CDN key the group is to name.</summary>
    public async Task<string> UploadAsync(GroupManager groups, GroupSecretParams secretParams, byte[] image, CancellationToken cancellationToken)
    {
        var blob = new GroupAttributeBlobMessage { Avatar = ByteString.CopyFrom(image) }.ToByteArray();
        var encrypted = new ClientZkGroupCipher(secretParams).EncryptBlob(blob);
        var answer = await groups.Server.GetAvatarUploadFormAsync(secretParams.PublicParams.Serialize(),
            await groups.PresentAuthAsync(secretParams, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        var form = AvatarUploadAttributesMessage.Parser.ParseFrom(answer);
        if (form.Key.Length == 0)
        {
            throw new ServiceProtocolException("the group avatar upload form names no key");
        }

        await ProfileAvatarUpload.UploadAsync(http, new ProfileAvatarUploadForm(form.Key, form.Credential, form.Acl, form.Algorithm, form.Date, form.Policy, form.Signature),
            encrypted, cancellationToken).ConfigureAwait(false);
        return form.Key;
    }

    /// <summary>The CDN key of the avatar file stored for the group; null when none is (the group store does not keep the key).</summary>
    public Task<string?> StoredKeyAsync(byte[] groupId, CancellationToken cancellationToken) =>
        db.Settings.GetStringAsync(SettingFor(groupId), cancellationToken);

    /// <summary>Brings the stored avatar file in line with <paramref name="state"/>; failures are logged, never thrown.</summary>
    public async Task SyncAsync(GroupState state, CancellationToken cancellationToken)
    {
        var id = Convert.ToBase64String(state.GroupId);
        var setting = SettingFor(state.GroupId);
        var file = files.GroupFile(state.GroupId);
        try
        {
            var stored = await db.Settings.GetStringAsync(setting, cancellationToken).ConfigureAwait(false);
            if (state.AvatarKey is not { } key)
            {
                // Most groups have no avatar: nothing to write for them.
                if (stored is not null)
                {
                    AvatarFiles.Delete(file);
                    await db.Settings.SetStringAsync(setting, null, cancellationToken).ConfigureAwait(false);
                }

                return;
            }

            if (stored == key && File.Exists(file))
            {
                return;
            }

            var encrypted = await http.DownloadAsync(0, key, MaxBlobBytes, cancellationToken).ConfigureAwait(false);
            var secretParams = GroupSecretParams.DeriveFromMasterKey(new GroupMasterKey(state.MasterKey));
            var blob = GroupAttributeBlobMessage.Parser.ParseFrom(new ClientZkGroupCipher(secretParams).DecryptBlob(encrypted));
            if (blob.ContentCase != GroupAttributeBlobMessage.ContentOneofCase.Avatar)
            {
                throw new ServiceProtocolException("the blob holds no avatar");
            }

            await files.WriteAsync(file, blob.Avatar.Memory, cancellationToken).ConfigureAwait(false);
            await db.Settings.SetStringAsync(setting, key, cancellationToken).ConfigureAwait(false);
            Stored(logger, id, state.Revision);
        }
        catch (Exception e) when (e is ServiceException or ZkGroupException or InvalidProtocolBufferException or IOException or UnauthorizedAccessException)
        {
            // No file rather than a stale one; the next state naming the avatar tries again.
            AvatarFiles.Delete(file);
            Failed(logger, id, e.GetType().Name);
            await db.Settings.SetStringAsync(setting, null, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static string SettingFor(byte[] groupId) => "group.avatar." + Convert.ToBase64String(groupId);

    [LoggerMessage(1760, LogLevel.Debug, "Stored the avatar of group {Group} (revision {Revision})")]
    private static partial void Stored(ILogger logger, string group, uint revision);

    [LoggerMessage(1761, LogLevel.Warning, "The avatar of group {Group} was not stored ({Reason})")]
    private static partial void Failed(ILogger logger, string group, string reason);
}
