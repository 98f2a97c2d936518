namespace SignalSharp.Account.Api;

/// <summary>A poll action a message carries (<see cref="OutgoingMessage.Poll"/>): a new poll, a vote, or closing a poll.</summary>
public abstract record OutgoingPoll;

/// <summary>A new poll: 2 to 10 options of 1 to 100 characters each, as Signal's apps allow.</summary>
public sealed record PollCreation(string Question, IReadOnlyList<string> Options, bool AllowMultiple) : OutgoingPoll;

/// <summary>
/// A vote on the poll <see cref="Author"/> created at <see cref="PollTimestamp"/>: the chosen options' indexes (from
/// 0), and <see cref="VoteCount"/>, which grows by one each time this account votes again on the same poll.
/// </summary>
public sealed record PollVote(RecipientAddress Author, long PollTimestamp, IReadOnlyList<int> OptionIndexes, int VoteCount) : OutgoingPoll;

/// <summary>Closes this account's own poll sent at <see cref="PollTimestamp"/>.</summary>
public sealed record PollClosing(long PollTimestamp) : OutgoingPoll;

/// <summary>A poll that cannot be sent as asked (signal-cli's user error).</summary>
public sealed class InvalidPollException(string reason) : AccountException(reason);
