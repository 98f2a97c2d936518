namespace SignalSharp.Account.Api;

/// <summary>
/// The narrow view of a Signal account that the daemon needs. The daemon validates the form of every argument
/// before it calls in; an implementation decides what needs the account itself (is the recipient a Signal user,
/// is the group known and joined) and reports it with the <see cref="AccountException"/> subclasses.
/// Any other exception becomes status -1 (UNKNOWN) with the exception's message.
/// </summary>
public interface ISignalAccount
{
    /// <summary>Sends a data message; returns the sent message's timestamp, the id a reaction to it names.</summary>
    Task<SendResult> SendMessageAsync(MessageTarget target, OutgoingMessage message, CancellationToken cancellationToken);

    /// <summary>Sends (or, with <see cref="OutgoingReaction.Remove"/>, takes back) a reaction.</summary>
    Task<SendResult> SendReactionAsync(MessageTarget target, OutgoingReaction reaction, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes for everyone the account's own message sent at <paramref name="targetTimestamp"/> (a remote delete;
    /// the recipients' apps replace it with "This message was deleted").
    /// </summary>
    Task<SendResult> SendRemoteDeleteAsync(MessageTarget target, long targetTimestamp, CancellationToken cancellationToken);

    /// <summary>Tells the person or group that the account started (or, with <paramref name="started"/> false, stopped) typing.</summary>
    Task<SendResult> SendTypingAsync(MessageTarget target, bool started, CancellationToken cancellationToken);

    /// <summary>
    /// Tells <paramref name="recipient"/> that the account received, read or viewed their messages sent at
    /// <paramref name="messageTimestamps"/>. Delivery receipts also go out by themselves for every received message.
    /// </summary>
    Task<SendResult> SendReceiptAsync(RecipientAddress recipient, ReceiptKind kind, IReadOnlyList<long> messageTimestamps, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the disappearing-messages timer of a conversation with one person to <paramref name="seconds"/> (0: off)
    /// and tells them; every message sent into a conversation carries its current timer, whoever set it last.
    /// </summary>
    Task<SendResult> SetExpirationTimerAsync(MessageTarget target, int seconds, CancellationToken cancellationToken);

    /// <summary>
    /// Whether every message received from now on is also answered with a read receipt (signal-cli's
    /// <c>--send-read-receipts</c>); delivery receipts go out for every received message either way. Off at first.
    /// </summary>
    void SetSendReadReceipts(bool enabled);

    /// <summary>
    /// Leases the received items that no caller holds or got yet, waiting up to <see cref="ReceiveRequest.Timeout"/>
    /// for the first one when none is waiting; an empty batch when the time runs out. The caller confirms the batch
    /// once the items reached its client, or disposes it unconfirmed to put them back for the next caller; leases
    /// that neither happened to (the process died) are put back when the account next opens. So each item reaches
    /// one client, once. When <paramref name="cancellationToken"/> fires, the call throws
    /// <see cref="OperationCanceledException"/> and holds no item.
    /// </summary>
    Task<ReceivedBatch> ReceiveAsync(ReceiveRequest request, CancellationToken cancellationToken);

    /// <summary>The contacts' identity keys with their safety numbers and trust; only <paramref name="recipient"/>'s when given.</summary>
    Task<IReadOnlyList<IdentityEntry>> ListIdentitiesAsync(RecipientAddress? recipient, CancellationToken cancellationToken);

    /// <summary>
    /// Trusts <paramref name="recipient"/>'s current identity key: whatever is stored (<see cref="TrustAllKnownKeys"/>)
    /// or only if it gives the safety number the user compared (<see cref="TrustVerifiedSafetyNumber"/>,
    /// else <see cref="SafetyNumberMismatchException"/>). Returns the entry as now trusted.
    /// </summary>
    Task<IdentityEntry> TrustAsync(RecipientAddress recipient, TrustRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Completes, with the reason, when the server stops serving this account on this device (it refused the device
    /// or this client); from then on every call that needs the server throws that <see cref="AccountStoppedException"/>.
    /// Never completes otherwise.
    /// </summary>
    Task<AccountStoppedException> Stopped { get; }

    /// <summary>
    /// Creates a group on the group server with <see cref="GroupChangeRequest.Name"/>, the account as administrator and
    /// <see cref="GroupChangeRequest.AddMembers"/> (members whose profile key is unknown are invited), description and
    /// timer, and tells the members. Throws <see cref="GroupChangeFailedException"/> when the server refuses it.
    /// </summary>
    Task<GroupChangeResult> CreateGroupAsync(GroupChangeRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Changes a group the account is a member of (name, description, timer, members, admins, permissions, invite
    /// link) through the group server and tells its members; a request that changes nothing sends nothing (timestamp 0).
    /// Throws <see cref="GroupNotFoundException"/>, <see cref="NotAGroupMemberException"/>, or
    /// <see cref="GroupChangeFailedException"/> when the server refuses (e.g. a plain member changing admin-only settings).
    /// </summary>
    Task<GroupChangeResult> UpdateGroupAsync(GroupId groupId, GroupChangeRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Leaves a group (signal-cli's quitGroup): the last administrator must name <paramref name="newAdmins"/>
    /// (else <see cref="GroupChangeFailedException"/>); the remaining members are told.
    /// </summary>
    Task<GroupChangeResult> QuitGroupAsync(GroupId groupId, IReadOnlyList<RecipientAddress> newAdmins, CancellationToken cancellationToken);

    /// <summary>
    /// Joins a group by its invite link (signal-cli's joinGroup --uri https://signal.group/#…): as a member when the link
    /// lets anyone in (the members are told), else as a requesting member awaiting an administrator. Throws
    /// <see cref="InvalidGroupLinkException"/>, <see cref="InactiveGroupLinkException"/>, <see cref="PendingAdminApprovalException"/>
    /// or <see cref="GroupChangeFailedException"/>.
    /// </summary>
    Task<GroupJoinResult> JoinGroupAsync(string inviteLink, CancellationToken cancellationToken);

    /// <summary>The groups the account knows (joined, invited or left), as last decrypted.</summary>
    Task<IReadOnlyList<GroupSummary>> ListGroupsAsync(CancellationToken cancellationToken);

    /// <summary>The contact list as the primary device last shared it.</summary>
    Task<IReadOnlyList<ContactSummary>> ListContactsAsync(CancellationToken cancellationToken);

    /// <summary>Asks the primary device to send its contacts, blocked list and configuration again (they arrive as sync messages).</summary>
    Task RequestSyncAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Answers the server's rate-limit challenge (the token a refused send reported) with a solved captcha (the
    /// <c>signalcaptcha://</c> link is accepted); throws <see cref="ChallengeRefusedException"/> when the server refuses it.
    /// </summary>
    Task SubmitRateLimitChallengeAsync(string challenge, string captcha, CancellationToken cancellationToken);

    /// <summary>The account's own profile, its contacts, blocking and devices.</summary>
    IAccountPeople People { get; }

    /// <summary>The account's sticker packs: installing one by its link, listing those it knows.</summary>
    IAccountStickers Stickers { get; }
}
