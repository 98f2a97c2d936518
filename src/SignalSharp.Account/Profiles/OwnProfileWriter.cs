using Microsoft.Extensions.Logging;
using SignalSharp.Account.Api;
using SignalSharp.Account.Storage;
using SignalSharp.Service.Api;
using SignalSharp.Store;
using SignalSharp.ZkGroup;
using SignalSharp.ZkGroup.Profiles;

namespace SignalSharp.Account.Profiles;

/// <summary>
/// Writes the account's own profile (signal-cli's updateProfile). The fields are encrypted under the account's
/// profile key and written under the version and commitment zkgroup derives from that key for our ACI, which is
/// what contacts holding the key look up and what the group server checks. The current profile is kept in the
/// settings; the first time, it is read from the server (the primary device wrote it), so that a change of one
/// field keeps the others.
/// </summary>
internal sealed class OwnProfileWriter(AccountDatabase db, ChatApi api, AccountRecord record, Service.Profiles.ServerProfile server, ILogger logger)
{
    /// <summary>The largest avatar image taken (Signal's apps scale theirs far below this).</summary>
    public const int MaxAvatarBytes = 10 * 1024 * 1024;

    /// <summary>The settings that keep the profile name this account last wrote (also what its storage account record starts from).</summary>
    internal const string KeyGiven = "profile.given_name";
    internal const string KeyFamily = "profile.family_name";
    private const string KeyAbout = "profile.about";
    private const string KeyEmoji = "profile.about_emoji";
    private const string KeyAvatar = "profile.avatar";

    private readonly SemaphoreSlim gate = new(1, 1);

    public async Task<OwnProfile> UpdateAsync(ProfileUpdate update, CancellationToken cancellationToken) =>
        (await WriteAsync(update, cancellationToken).ConfigureAwait(false)).Profile;

    /// <summary>Writes the profile; <c>AvatarKey</c> is the CDN path of a new avatar uploaded with it (null when none was).</summary>
    public async Task<(OwnProfile Profile, string? AvatarKey)> WriteAsync(ProfileUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var avatar = update.AvatarPath is { } path ? await ReadAvatarAsync(path, cancellationToken).ConfigureAwait(false) : null;
        var keyBytes = record.ProfileKey ?? throw new InvalidPeopleRequestException("the account has no profile key (the primary device did not share one when linking)");
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = await CurrentAsync(keyBytes, cancellationToken).ConfigureAwait(false);
            var next = new OwnProfile(
                Pick(update.GivenName, current?.GivenName) ?? throw new InvalidPeopleRequestException("a profile needs a given name"),
                Pick(update.FamilyName, current?.FamilyName),
                Pick(update.About, current?.About),
                Pick(update.AboutEmoji, current?.AboutEmoji),
                avatar is not null || (!update.RemoveAvatar && current?.HasAvatar == true));
            var key = new ProfileKey(keyBytes);
            var aci = ZkServiceId.Aci(record.Aci.ToByteArray(bigEndian: true));
            ProfileWrite write;
            try
            {
                write = new ProfileWrite(key.GetProfileKeyVersion(aci), key.GetCommitment(aci), ProfileFieldCipher.EncryptName(keyBytes, next.GivenName, next.FamilyName))
                {
                    About = next.About is null ? null : ProfileFieldCipher.EncryptAbout(keyBytes, next.About),
                    AboutEmoji = next.AboutEmoji is null ? null : ProfileFieldCipher.EncryptEmoji(keyBytes, next.AboutEmoji),
                    SameAvatar = next.HasAvatar,
                };
            }
            catch (ArgumentException e)
            {
                throw new InvalidPeopleRequestException(e.Message);
            }

            string? avatarKey = null;
            if (avatar is null)
            {
                await api.SetProfileAsync(write, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // The new version names the avatar's CDN path; the encrypted image goes up with the form it answered.
                var form = await api.SetProfileWithAvatarAsync(write, cancellationToken).ConfigureAwait(false);
                using var http = new Service.Http.ServiceHttpClient(server);
                await Service.Profiles.ProfileAvatarUpload.UploadAsync(http, form, ProfileFieldCipher.EncryptAvatar(keyBytes, avatar), cancellationToken).ConfigureAwait(false);
                avatarKey = form.Key;
            }

            await SaveAsync(next, cancellationToken).ConfigureAwait(false);
            ProfileLog.Written(logger);
            return (next, avatarKey);
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task<byte[]> ReadAvatarAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.Length == 0 || info.Length > MaxAvatarBytes)
            {
                throw new InvalidPeopleRequestException($"the avatar must be an image file of 1 byte to {MaxAvatarBytes / (1024 * 1024)} MiB: {path}");
            }

            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InvalidPeopleRequestException($"the avatar file cannot be read: {e.Message}");
        }
    }

    /// <summary>A given value replaces the current one; an empty one clears it.</summary>
    private static string? Pick(string? given, string? current) => given is null ? current : given.Length == 0 ? null : given;

    private async Task<OwnProfile?> CurrentAsync(byte[] keyBytes, CancellationToken cancellationToken)
    {
        if (await db.Settings.GetStringAsync(KeyGiven, cancellationToken).ConfigureAwait(false) is { } given)
        {
            return new OwnProfile(
                given,
                await db.Settings.GetStringAsync(KeyFamily, cancellationToken).ConfigureAwait(false),
                await db.Settings.GetStringAsync(KeyAbout, cancellationToken).ConfigureAwait(false),
                await db.Settings.GetStringAsync(KeyEmoji, cancellationToken).ConfigureAwait(false),
                await db.Settings.GetBooleanAsync(KeyAvatar, cancellationToken).ConfigureAwait(false) == true);
        }

        try
        {
            var key = new ProfileKey(keyBytes);
            var version = key.GetProfileKeyVersion(ZkServiceId.Aci(record.Aci.ToByteArray(bigEndian: true)));
            var stored = await api.GetVersionedProfileAsync(record.Aci, version, null, cancellationToken).ConfigureAwait(false);
            return ProfileRefresher.Decrypt(keyBytes, stored, DateTimeOffset.UtcNow) is { GivenName: { } storedGiven } p
                ? new OwnProfile(storedGiven, p.FamilyName, p.About, p.AboutEmoji, p.AvatarPath is not null)
                : null;
        }
        catch (Exception e) when (e is Service.ServiceException)
        {
            // Not readable now: the update then starts from what it was given.
            ProfileLog.FetchFailed(logger, record.Aci, e.GetType().Name);
            return null;
        }
    }

    private async Task SaveAsync(OwnProfile profile, CancellationToken cancellationToken)
    {
        await db.Settings.SetStringAsync(KeyGiven, profile.GivenName, cancellationToken).ConfigureAwait(false);
        await db.Settings.SetStringAsync(KeyFamily, profile.FamilyName, cancellationToken).ConfigureAwait(false);
        await db.Settings.SetStringAsync(KeyAbout, profile.About, cancellationToken).ConfigureAwait(false);
        await db.Settings.SetStringAsync(KeyEmoji, profile.AboutEmoji, cancellationToken).ConfigureAwait(false);
        await db.Settings.SetBooleanAsync(KeyAvatar, profile.HasAvatar, cancellationToken).ConfigureAwait(false);
    }
}
