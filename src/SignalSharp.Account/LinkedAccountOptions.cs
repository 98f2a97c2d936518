using SignalSharp.Account.Api;

namespace SignalSharp.Account;

/// <summary>
/// Knobs of a <see cref="LinkedAccount"/> that tests and benchmarks turn; production uses the defaults. Fixed when
/// the account is opened.
/// </summary>
public sealed record LinkedAccountOptions
{
    public static LinkedAccountOptions Default { get; } = new();

    /// <summary>
    /// Envelopes the receiver stores under one transaction at most: large enough to amortise a commit, small enough
    /// that the protocol gate is not held long against a send (1 = one envelope per transaction).
    /// </summary>
    public int ReceiveBatch { get; init; } = 64;

    /// <summary>Attachment bytes one receive answer carries at most (beyond its first item): the answer is built in memory.</summary>
    public long MaxAttachmentBytesPerReceive { get; init; } = 128L * 1024 * 1024;

    /// <summary>
    /// False sends to groups without the server's multi-recipient send (every member 1:1): for servers that lack
    /// it, and to test that path.
    /// </summary>
    public bool MultiRecipientSend { get; init; } = true;

    /// <summary>Which contact identity keys count as trusted without the user's word (signal-cli's <c>--trust-new-identities</c>).</summary>
    public NewIdentityTrust TrustNewIdentities { get; init; } = NewIdentityTrust.OnFirstUse;

    /// <summary>The clock pre-key rotation and the sender certificate's expiry read (tests move it forward by hours or days).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// How long a delivered item (and its attachment files) is kept after a client confirmed it, for clients that
    /// want to re-read; then it is deleted. <see cref="TimeSpan.Zero"/> deletes at the next sweep.
    /// </summary>
    public TimeSpan KeepDelivered { get; init; } = Store.Inbox.InboxStore.DefaultKeepDelivered;

    /// <summary>How often delivered items past <see cref="KeepDelivered"/> are swept.</summary>
    public TimeSpan RetentionInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The first connect is retried with the reconnect backoff until the server answers (a daemon, which must come up
    /// when the network does), instead of failing the start at the first failed attempt (a one-shot command).
    /// </summary>
    public bool ConnectUntilUp { get; init; }

    /// <summary>How long a call that needs the server waits for a first connect that is still being retried.</summary>
    public TimeSpan ConnectWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether the server sends stories to this device (the socket's <c>X-Signal-Receive-Stories</c> header) and
    /// they become items (`--receive-stories`); off, as for a bot that has no use for them.
    /// </summary>
    public bool ReceiveStories { get; init; }

    /// <summary>
    /// How long the unauthenticated (sealed sender) socket stays open without a send before it closes; the next
    /// sealed send opens it again and waits for the connect.
    /// </summary>
    public TimeSpan UnauthenticatedIdleClose { get; init; } = Sending.SealedAccess.UnauthenticatedIdleClose;

    /// <summary>
    /// For tests: awaited before the start's background checks (pre-keys, a primary's manifest), to hold them while
    /// sends go out; null (production) runs them at once.
    /// </summary>
    internal Func<CancellationToken, Task>? BeforeStartChecks { get; init; }
}
