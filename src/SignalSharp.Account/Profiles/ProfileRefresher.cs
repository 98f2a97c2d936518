using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SignalSharp.Service.Api;
using SignalSharp.Store;
using SignalSharp.Store.Profiles;
using SignalSharp.ZkGroup;
using SignalSharp.ZkGroup.Profiles;

namespace SignalSharp.Account.Profiles;

/// <summary>
/// Keeps contacts' profiles current in the background: a request names an ACI, one worker fetches the versioned
/// profile that the stored profile key names, decrypts it and stores it. A profile younger than
/// <see cref="MaxAge"/> is not fetched again unless the stored profile key changed since (the receive path stores
/// the key a message carries). The receive path only posts
/// requests (never waits on the server), and a failed fetch costs nothing but a log line: the next message from
/// that contact asks again.
/// </summary>
internal sealed class ProfileRefresher(AccountDatabase db, ChatApi api, Guid ownAci, ProfileAvatarFetcher avatars, ILogger logger, TimeProvider? time = null)
{
    /// <summary>How long a fetched profile is used before it is fetched again.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(12);

    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private readonly Channel<Guid> requests = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<Guid> queued = [];
    private int fetched;

    /// <summary>Profiles fetched and stored since the start.</summary>
    public int Fetched => Volatile.Read(ref fetched);

    /// <summary>Asks for <paramref name="aci"/>'s profile to be fetched unless a fresh one is stored; never blocks.</summary>
    public void Request(Guid aci)
    {
        if (aci == ownAci || aci == Guid.Empty)
        {
            return;
        }

        lock (queued)
        {
            if (!queued.Add(aci))
            {
                return;
            }
        }

        requests.Writer.TryWrite(aci);
    }

    /// <summary>Works through the requests until <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var aci in requests.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                lock (queued)
                {
                    queued.Remove(aci);
                }

                await RefreshAsync(aci, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task RefreshAsync(Guid aci, CancellationToken cancellationToken)
    {
        try
        {
            var recipient = await db.Recipients.GetByAciAsync(aci, cancellationToken).ConfigureAwait(false);
            if (recipient?.ProfileKey is not { Length: ProfileKey.Length } keyBytes)
            {
                return; // Without the key the profile cannot be read.
            }

            var now = clock.GetUtcNow();
            var stored = await db.Profiles.GetAsync(recipient.Id, cancellationToken).ConfigureAwait(false);
            if (stored is not null && now - stored.FetchedAt < MaxAge && keyBytes.AsSpan().SequenceEqual(stored.FetchedWithKey))
            {
                return;
            }

            var key = new ProfileKey(keyBytes);
            var zkAci = ZkServiceId.Aci(aci.ToByteArray(bigEndian: true));
            var profile = await api.GetVersionedProfileAsync(aci, key.GetProfileKeyVersion(zkAci), null, cancellationToken).ConfigureAwait(false);
            if (Decrypt(keyBytes, profile, now) is not { } decrypted)
            {
                ProfileLog.Undecryptable(logger, aci);
                return;
            }

            await avatars.SyncAsync(recipient, keyBytes, stored?.AvatarPath, decrypted.AvatarPath, cancellationToken).ConfigureAwait(false);
            await db.Profiles.SaveAsync(recipient.Id, decrypted with { FetchedWithKey = keyBytes }, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref fetched);
            ProfileLog.Fetched(logger, aci);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            ProfileLog.FetchFailed(logger, aci, e.GetType().Name);
        }
    }

    /// <summary>The decrypted profile; null when a field that is present does not decrypt (a key that does not belong to it).</summary>
    internal static ProfileRecord? Decrypt(byte[] key, VersionedProfile profile, DateTimeOffset fetchedAt)
    {
        (string Given, string? Family)? name = null;
        if (profile.Name is { Length: > 0 } encryptedName && (name = ProfileFieldCipher.DecryptName(key, encryptedName)) is null)
        {
            return null;
        }

        var capabilities = (profile.Capabilities ?? []).Where(c => c.Value).Select(c => c.Key).Order(StringComparer.Ordinal).ToList();
        return new ProfileRecord(
            name is { Given.Length: > 0 } n ? n.Given : null,
            name?.Family,
            profile.About is { Length: > 0 } about ? ProfileFieldCipher.DecryptText(key, about) : null,
            profile.AboutEmoji is { Length: > 0 } emoji ? ProfileFieldCipher.DecryptText(key, emoji) : null,
            string.IsNullOrEmpty(profile.Avatar) ? null : profile.Avatar,
            capabilities,
            fetchedAt);
    }
}
