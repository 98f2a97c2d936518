using SignalSharp.Account.Api;
using SignalSharp.Cli.Accounts;

namespace SignalSharp.Cli.Tests.Support;

/// <summary>
/// A stand-in account so the serving commands can run: every send succeeds (timestamp 42, reactions 43) and nothing
/// arrives (a receive waits out its timeout). It lives only in this test project.
/// </summary>
internal sealed class OneAccount : IAccountOpener, ISignalAccount, IAccountPeople, IAccountStickers
{
    public Task<ISignalAccount?> OpenAsync(string phoneNumber, string configDirectory, CancellationToken cancellationToken) =>
        Task.FromResult<ISignalAccount?>(this);

    /// <summary>The last message sent.</summary>
    public OutgoingMessage? LastMessage { get; private set; }

    /// <summary>The remote deletes, typing indicators, receipts and timers asked for, each as a short description.</summary>
    public List<string> Controls { get; } = [];

    public Task<SendResult> SendMessageAsync(MessageTarget target, OutgoingMessage message, CancellationToken cancellationToken)
    {
        LastMessage = message;
        return Task.FromResult(new SendResult(42));
    }

    public Task<SendResult> SendReactionAsync(MessageTarget target, OutgoingReaction reaction, CancellationToken cancellationToken) =>
        Task.FromResult(new SendResult(43));

    /// <summary>What the serving command asked for (null: never asked).</summary>
    public bool? SendsReadReceipts { get; private set; }

    public void SetSendReadReceipts(bool enabled) => SendsReadReceipts = enabled;

    public Task<SendResult> SendRemoteDeleteAsync(MessageTarget target, long targetTimestamp, CancellationToken cancellationToken) =>
        Record($"delete {targetTimestamp}", 44);

    public Task<SendResult> SetExpirationTimerAsync(MessageTarget target, int seconds, CancellationToken cancellationToken) =>
        Record($"timer {seconds}", 47);

    public Task<SendResult> SendTypingAsync(MessageTarget target, bool started, CancellationToken cancellationToken) =>
        Record(started ? "typing" : "stopped typing", 45);

    public Task<SendResult> SendReceiptAsync(RecipientAddress recipient, ReceiptKind kind, IReadOnlyList<long> messageTimestamps, CancellationToken cancellationToken) =>
        Record($"{kind} {string.Join(',', messageTimestamps)}", 46);

    private Task<SendResult> Record(string call, long timestamp)
    {
        lock (Controls)
        {
            Controls.Add(call);
        }

        return Task.FromResult(new SendResult(timestamp));
    }

    public async Task<ReceivedBatch> ReceiveAsync(ReceiveRequest request, CancellationToken cancellationToken)
    {
        await Task.Delay(request.Timeout, cancellationToken);
        return ReceivedBatch.Empty;
    }

    public Task<IReadOnlyList<IdentityEntry>> ListIdentitiesAsync(RecipientAddress? recipient, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IdentityEntry>>([]);

    /// <summary>Never completes, unless a test makes this account one that stopped.</summary>
    public Task<AccountStoppedException> Stopped { get; init; } = new TaskCompletionSource<AccountStoppedException>().Task;

    public Task<IdentityEntry> TrustAsync(RecipientAddress recipient, TrustRequest request, CancellationToken cancellationToken) =>
        throw new NoKnownIdentityException(recipient.ToString());

    public Task<GroupChangeResult> CreateGroupAsync(GroupChangeRequest request, CancellationToken cancellationToken) =>
        throw new GroupChangeFailedException("this test account makes no groups");

    public Task<GroupChangeResult> UpdateGroupAsync(GroupId groupId, GroupChangeRequest request, CancellationToken cancellationToken) =>
        throw new GroupNotFoundException(groupId);

    public Task<GroupChangeResult> QuitGroupAsync(GroupId groupId, IReadOnlyList<RecipientAddress> newAdmins, CancellationToken cancellationToken) =>
        throw new GroupNotFoundException(groupId);

    public Task<GroupJoinResult> JoinGroupAsync(string inviteLink, CancellationToken cancellationToken) =>
        throw new InvalidGroupLinkException("the test account joins no groups");

    public Task<IReadOnlyList<GroupSummary>> ListGroupsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<GroupSummary>>([]);

    public Task<IReadOnlyList<ContactSummary>> ListContactsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ContactSummary>>([]);

    public Task RequestSyncAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public IAccountPeople People => this;

    public IAccountStickers Stickers => this;

    /// <summary>The sticker pack links installed, in order.</summary>
    public List<string> StickerLinks { get; } = [];

    public Task<StickerPackSummary> AddStickerPackAsync(string link, CancellationToken cancellationToken)
    {
        if (!link.StartsWith("https://signal.art/addstickers/#pack_id=", StringComparison.Ordinal))
        {
            throw new InvalidStickerPackLinkException("expected https://signal.art/addstickers/#pack_id=…&pack_key=…");
        }

        lock (Controls)
        {
            StickerLinks.Add(link);
        }

        return Task.FromResult(new StickerPackSummary(new string('a', 32), new string('b', 64), true, "Cats", "Alice", null, [new StickerSummary(0, "😺", null)]));
    }

    public Task<IReadOnlyList<StickerPackSummary>> ListStickerPacksAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StickerPackSummary>>([new StickerPackSummary(new string('a', 32), new string('b', 64), true, "Cats", "Alice",
            new StickerSummary(0, "😺", "image/webp"), [new StickerSummary(0, "😺", "image/webp")])]);

    public Task<OwnProfile> UpdateProfileAsync(ProfileUpdate update, CancellationToken cancellationToken)
    {
        lock (Controls)
        {
            Controls.Add($"profile {update.GivenName}|{update.FamilyName}|{update.About}|{update.AboutEmoji}|{update.RemoveAvatar}" + (update.RotateProfileKey ? "|rotate" : ""));
        }

        return Task.FromResult(new OwnProfile(update.GivenName ?? "Me", update.FamilyName, update.About, update.AboutEmoji, false));
    }

    public Task SetBlockedAsync(IReadOnlyList<RecipientAddress> people, IReadOnlyList<GroupId> groups, bool blocked, CancellationToken cancellationToken)
    {
        lock (Controls)
        {
            Controls.Add($"{(blocked ? "block" : "unblock")} {string.Join(',', people.Select(p => p.Value))} {string.Join(',', groups.Select(g => g.ToBase64()))}");
        }

        return Task.CompletedTask;
    }

    public Task UpdateContactNameAsync(RecipientAddress recipient, string? name, CancellationToken cancellationToken)
    {
        lock (Controls)
        {
            Controls.Add($"name {recipient.Value} {name}");
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<DeviceSummary>> ListDevicesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<DeviceSummary>>(
        [new DeviceSummary(2, "signal-sharp", DateTimeOffset.FromUnixTimeMilliseconds(5), DateTimeOffset.FromUnixTimeMilliseconds(6), true)]);

    public Task RemoveDeviceAsync(uint deviceId, CancellationToken cancellationToken)
    {
        lock (Controls)
        {
            Controls.Add($"removeDevice {deviceId}");
        }

        return Task.CompletedTask;
    }

    public Task AddDeviceAsync(string linkUri, CancellationToken cancellationToken)
    {
        lock (Controls)
        {
            Controls.Add($"addDevice {linkUri}");
        }

        return Task.CompletedTask;
    }

    public Task SetDeviceNameAsync(string name, CancellationToken cancellationToken)
    {
        lock (Controls)
        {
            Controls.Add($"deviceName {name}");
        }

        return Task.CompletedTask;
    }

    public Task SendContactsAsync(CancellationToken cancellationToken)
    {
        lock (Controls)
        {
            Controls.Add("sendContacts");
        }

        return Task.CompletedTask;
    }

    /// <summary>Every number is registered under a made-up ACI derived from nothing but its position; service ids are not.</summary>
    public Task<IReadOnlyList<UserStatus>> GetUserStatusAsync(IReadOnlyList<RecipientAddress> recipients, CancellationToken cancellationToken)
    {
        lock (Controls)
        {
            Controls.Add($"getUserStatus {string.Join(',', recipients.Select(r => r.Value))}");
        }

        return Task.FromResult<IReadOnlyList<UserStatus>>(
        [
            .. recipients.Select((r, i) => r.Kind == RecipientKind.PhoneNumber
                ? new UserStatus(r, r.Value, new Guid(i + 1, 0, 0, new byte[8]), true)
                : new UserStatus(r, null, null, false)),
        ]);
    }

    public Task SendMessageRequestResponseAsync(IReadOnlyList<RecipientAddress> people, IReadOnlyList<GroupId> groups, MessageRequestResponse response,
        CancellationToken cancellationToken)
    {
        lock (Controls)
        {
            Controls.Add($"messageRequestResponse {response} {string.Join(',', people.Select(p => p.Value))}");
        }

        return Task.CompletedTask;
    }

    /// <summary>The image every group's avatar reads as; people have none.</summary>
    public static readonly byte[] GroupAvatar = [1, 2, 3, 250];

    public Task<byte[]> GetAvatarAsync(AvatarSource source, CancellationToken cancellationToken)
    {
        lock (Controls)
        {
            Controls.Add($"getAvatar {source}");
        }

        return source is AvatarSource.Group ? Task.FromResult(GroupAvatar) : throw new AvatarNotFoundException();
    }

    public Task RemoveContactAsync(RecipientAddress recipient, bool forget, CancellationToken cancellationToken)
    {
        lock (Controls)
        {
            Controls.Add($"remove {recipient.Value} {forget}");
        }

        return Task.CompletedTask;
    }

    /// <summary>The rate-limit challenges answered, as "challenge captcha".</summary>
    public List<string> Challenges { get; } = [];

    public Task SubmitRateLimitChallengeAsync(string challenge, string captcha, CancellationToken cancellationToken)
    {
        lock (Challenges)
        {
            Challenges.Add($"{challenge} {captcha}");
        }

        return Task.CompletedTask;
    }
}
