using System.Security.Cryptography;
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

    private const int ProfileKeyBytes = 32;

    private readonly SemaphoreSlim gate = new(1, 1);

    public async Task<OwnProfile> UpdateAsync(ProfileUpdate update, CancellationToken cancellationToken) =>
        (await WriteAsync(update, cancellationToken).ConfigureAwait(false)).Profile;

    /// <summary>
    /// Writes the profile. With <see cref="ProfileUpdate.RotateProfileKey"/>, under a new random profile key: the
    /// fields (and the current avatar, downloaded and opened with the old key, unless the update replaces or removes
    /// it) are encrypted again and written under the new key's version and commitment, and the new key then becomes
    /// the account's (<see cref="AccountRecord.ReplaceProfileKeyAsync"/>).
    /// </summary>
    /// <exception cref="InvalidPeopleRequestException">A field is invalid, or the current avatar cannot be read to carry it over to a new key.</exception>
    public async Task<ProfileWriteResult> WriteAsync(ProfileUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var avatar = update.AvatarPath is { } path ? await ReadAvatarAsync(path, cancellationToken).ConfigureAwait(false) : null;
        var oldKey = record.ProfileKey ?? throw new InvalidPeopleRequestException("the account has no profile key (the primary device did not share one when linking)");
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var keyBytes = update.RotateProfileKey ? RandomNumberGenerator.GetBytes(ProfileKeyBytes) : oldKey;
            var current = await CurrentAsync(oldKey, cancellationToken).ConfigureAwait(false);
            var next = new OwnProfile(
                Pick(update.GivenName, current?.GivenName) ?? throw new InvalidPeopleRequestException("a profile needs a given name"),
                Pick(update.FamilyName, current?.FamilyName),
                Pick(update.About, current?.About),
                Pick(update.AboutEmoji, current?.AboutEmoji),
                avatar is not null || (!update.RemoveAvatar && current?.HasAvatar == true));
            if (update.RotateProfileKey && next.HasAvatar && avatar is null)
            {
                // The avatar on the CDN is sealed with the old key: contacts with the new one need it sealed again.
                avatar = await CurrentAvatarAsync(oldKey, cancellationToken).ConfigureAwait(false);
            }

            var avatarKey = await PutAsync(keyBytes, next, avatar, cancellationToken).ConfigureAwait(false);
            if (update.RotateProfileKey)
            {
                await record.ReplaceProfileKeyAsync(db, keyBytes, cancellationToken).ConfigureAwait(false);
                ProfileLog.KeyRotated(logger);
            }

            await SaveAsync(next, cancellationToken).ConfigureAwait(false);
            ProfileLog.Written(logger);
            return new ProfileWriteResult(next, avatarKey, update.RotateProfileKey ? keyBytes : null);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Writes <paramref name="next"/> under <paramref name="keyBytes"/>; the CDN path of the avatar uploaded with it, if one was.</summary>
    private async Task<string?> PutAsync(byte[] keyBytes, OwnProfile next, byte[]? avatar, CancellationToken cancellationToken)
    {
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

        if (avatar is null)
        {
            await api.SetProfileAsync(write, cancellationToken).ConfigureAwait(false);
            return null;
        }

        // The new version names the avatar's CDN path; the encrypted image goes up with the form it answered.
        var form = await api.SetProfileWithAvatarAsync(write, cancellationToken).ConfigureAwait(false);
        using var http = new Service.Http.ServiceHttpClient(server);
        await Service.Profiles.ProfileAvatarUpload.UploadAsync(http, form, ProfileFieldCipher.EncryptAvatar(keyBytes, avatar), cancellationToken).ConfigureAwait(false);
        return form.Key;
    }

    /// <summary>Our current avatar image: the path our profile under <paramref name="keyBytes"/> names, downloaded from CDN 0 and opened with that key.</summary>
    private async Task<byte[]> CurrentAvatarAsync(byte[] keyBytes, CancellationToken cancellationToken)
    {
        const string Refusal = "the current avatar cannot be read to seal it under the new profile key; give a new avatar or remove it with the rotation";
        try
        {
            var version = new ProfileKey(keyBytes).GetProfileKeyVersion(ZkServiceId.Aci(record.Aci.ToByteArray(bigEndian: true)));
            var stored = await api.GetVersionedProfileAsync(record.Aci, version, null, cancellationToken).ConfigureAwait(false);
            if (stored.Avatar is not { Length: > 0 } avatarPath)
            {
                throw new InvalidPeopleRequestException(Refusal + " (the profile names none)");
            }

            using var http = new Service.Http.ServiceHttpClient(server);
            var blob = await http.DownloadAsync(0, avatarPath, ProfileAvatarFetcher.MaxEncryptedBytes, cancellationToken).ConfigureAwait(false);
            return ProfileFieldCipher.DecryptAvatar(keyBytes, blob) ?? throw new InvalidPeopleRequestException(Refusal + " (it does not decrypt)");
        }
        catch (Service.ServiceException e)
        {
            throw new InvalidPeopleRequestException($"{Refusal} ({e.GetType().Name})");
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

/// <summary>What a profile write did: the profile, the CDN path of an avatar uploaded with it, the new profile key of a rotation.</summary>
internal sealed record ProfileWriteResult(OwnProfile Profile, string? AvatarKey, byte[]? RotatedKey);
