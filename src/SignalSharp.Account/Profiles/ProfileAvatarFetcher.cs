using Microsoft.Extensions.Logging;
using SignalSharp.Account.Avatars;
using SignalSharp.Service;
using SignalSharp.Service.Http;
using SignalSharp.Service.Profiles;
using SignalSharp.Store.Recipients;

namespace SignalSharp.Account.Profiles;

/// <summary>
/// Keeps a contact's avatar file in step with their profile: a profile naming a new CDN path (or one whose file is
/// gone) has the avatar downloaded from CDN 0, opened with the contact's profile key (AES-256-GCM, nonce first, tag
/// last) and stored; a profile without an avatar has the file removed. A blob that is too large, does not
/// decrypt or cannot be fetched is logged and leaves no file, so the next profile fetch tries again.
/// </summary>
internal sealed class ProfileAvatarFetcher(AvatarFiles files, ServerProfile server, ILogger logger)
{
    /// <summary>The largest encrypted avatar downloaded (Signal's apps upload far smaller ones).</summary>
    public const int MaxEncryptedBytes = OwnProfileWriter.MaxAvatarBytes + 28;

    /// <summary>True when the file for <paramref name="avatarPath"/> is in place after the call.</summary>
    public async Task<bool> SyncAsync(Recipient recipient, byte[] profileKey, string? previousPath, string? avatarPath, CancellationToken cancellationToken)
    {
        var aci = recipient.Aci ?? Guid.Empty;
        var file = files.ProfileFile(recipient.E164, aci);
        if (avatarPath is null)
        {
            AvatarFiles.Delete(file);
            return false;
        }

        if (avatarPath == previousPath && File.Exists(file))
        {
            return true; // The same avatar: no new download.
        }

        try
        {
            using var http = new ServiceHttpClient(server);
            var blob = await http.DownloadAsync(0, avatarPath, MaxEncryptedBytes, cancellationToken).ConfigureAwait(false);
            if (ProfileFieldCipher.DecryptAvatar(profileKey, blob) is not { } image)
            {
                Fail("it does not decrypt with the profile key");
                return false;
            }

            await files.WriteAsync(file, image, cancellationToken).ConfigureAwait(false);
            ProfileLog.AvatarStored(logger, aci);
            return true;
        }
        catch (CdnObjectTooLargeException)
        {
            Fail($"larger than {MaxEncryptedBytes} bytes");
        }
        catch (ServiceException e)
        {
            Fail(e.GetType().Name);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fail("the avatars folder does not take it: " + e.GetType().Name);
        }

        return false;

        void Fail(string reason)
        {
            AvatarFiles.Delete(file);
            ProfileLog.AvatarFailed(logger, aci, reason);
        }
    }
}
