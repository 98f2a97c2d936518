using SignalSharp.Account.Api;

namespace SignalSharp.Bench.Daemon;

/// <summary>
/// The benchmark's own account: the measured commands never need one (an INVALID_RECIPIENT error is decided before
/// the account; receive_messages with timeout 0 finds nothing waiting). Sends fail loudly rather than pretend.
/// </summary>
internal sealed class NullAccount : ISignalAccount
{
    public Task<AccountStoppedException> Stopped { get; } = new TaskCompletionSource<AccountStoppedException>().Task;

    public Task<SendResult> SendMessageAsync(MessageTarget target, OutgoingMessage message, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the benchmark account cannot send");

    public Task<SendResult> SendRemoteDeleteAsync(MessageTarget target, long targetTimestamp, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the benchmark account cannot send");

    public Task<SendResult> SendTypingAsync(MessageTarget target, bool started, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the benchmark account cannot send");

    public Task<SendResult> SendReceiptAsync(RecipientAddress recipient, ReceiptKind kind, IReadOnlyList<long> messageTimestamps, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the benchmark account cannot send");

    public Task<SendResult> SetExpirationTimerAsync(MessageTarget target, int seconds, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the benchmark account cannot send");

    public Task SubmitRateLimitChallengeAsync(string challenge, string captcha, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the benchmark account is never rate limited");

    public void SetSendReadReceipts(bool enabled)
    {
    }

    public Task<SendResult> SendReactionAsync(MessageTarget target, OutgoingReaction reaction, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the benchmark account cannot send");

    public Task<ReceivedBatch> ReceiveAsync(ReceiveRequest request, CancellationToken cancellationToken) => Task.FromResult(ReceivedBatch.Empty);

    public Task<IReadOnlyList<IdentityEntry>> ListIdentitiesAsync(RecipientAddress? recipient, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the benchmark account has no identities");

    public Task<GroupChangeResult> CreateGroupAsync(GroupChangeRequest request, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the benchmark account has no groups to manage");

    public Task<GroupChangeResult> UpdateGroupAsync(GroupId groupId, GroupChangeRequest request, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the benchmark account has no groups to manage");

    public Task<GroupChangeResult> QuitGroupAsync(GroupId groupId, IReadOnlyList<RecipientAddress> newAdmins, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the benchmark account has no groups to manage");

    public Task<GroupJoinResult> JoinGroupAsync(string inviteLink, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the benchmark account has no groups to manage");

    public Task<IReadOnlyList<GroupSummary>> ListGroupsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<GroupSummary>>([]);

    public Task<IReadOnlyList<ContactSummary>> ListContactsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ContactSummary>>([]);

    public Task RequestSyncAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public IAccountPeople People => NoPeople.Instance;

    public IAccountStickers Stickers => NoStickers.Instance;

    public Task<IdentityEntry> TrustAsync(RecipientAddress recipient, TrustRequest request, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the benchmark account has no identities");
}

/// <summary>The benchmark accounts have no profile, contacts or devices to manage (in this file: the start-up host compiles only it).</summary>
internal sealed class NoPeople : IAccountPeople
{
    public static NoPeople Instance { get; } = new();

    public Task<OwnProfile> UpdateProfileAsync(ProfileUpdate update, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the benchmark account has no profile");

    public Task SetBlockedAsync(IReadOnlyList<RecipientAddress> people, IReadOnlyList<GroupId> groups, bool blocked, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the benchmark account has no contacts");

    public Task UpdateContactNameAsync(RecipientAddress recipient, string? name, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the benchmark account has no contacts");

    public Task RemoveContactAsync(RecipientAddress recipient, bool forget, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the benchmark account has no contacts");

    public Task<IReadOnlyList<DeviceSummary>> ListDevicesAsync(CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the benchmark account has no devices");

    public Task RemoveDeviceAsync(uint deviceId, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the benchmark account has no devices");

    public Task AddDeviceAsync(string linkUri, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the benchmark account has no devices");

    public Task SetDeviceNameAsync(string name, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the benchmark account has no devices");

    public Task SendContactsAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<UserStatus>> GetUserStatusAsync(IReadOnlyList<RecipientAddress> recipients, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the benchmark account has no directory");

    public Task SendMessageRequestResponseAsync(IReadOnlyList<RecipientAddress> people, IReadOnlyList<GroupId> groups, MessageRequestResponse response,
        CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the benchmark account has no other devices");

    public Task<byte[]> GetAvatarAsync(AvatarSource source, CancellationToken cancellationToken) => throw new AvatarNotFoundException();
}

/// <summary>The benchmark accounts have no sticker packs.</summary>
internal sealed class NoStickers : IAccountStickers
{
    public static NoStickers Instance { get; } = new();

    public Task<StickerPackSummary> AddStickerPackAsync(string link, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the benchmark account installs no sticker packs");

    public Task<IReadOnlyList<StickerPackSummary>> ListStickerPacksAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StickerPackSummary>>([]);
}
