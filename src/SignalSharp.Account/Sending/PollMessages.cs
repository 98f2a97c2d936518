using Google.Protobuf;
using SignalSharp.Account.Api;
using SignalSharp.Account.Proto;

namespace SignalSharp.Account.Sending;

/// <summary>A poll action as DataMessage fields, checked first against the limits Signal's apps keep to.</summary>
internal static class PollMessages
{
    private const int MinOptions = 2;
    private const int MaxOptions = 10;
    private const int MaxOptionLength = 100;

    public static async Task AddAsync(DataMessage data, OutgoingPoll poll, RecipientResolver recipients, CancellationToken cancellationToken)
    {
        switch (poll)
        {
            case PollCreation create:
                Check(create);
                data.PollCreate = new DataMessage.Types.PollCreate { Question = create.Question, AllowMultiple = create.AllowMultiple };
                data.PollCreate.Options.Add(create.Options);
                break;
            case PollVote vote:
                if (vote.OptionIndexes.Any(i => i < 0) || vote.VoteCount < 1 || vote.PollTimestamp <= 0)
                {
                    throw new InvalidPollException("a vote needs the poll's timestamp, option indexes from 0, and a vote count from 1");
                }

                var author = await recipients.ResolveAuthorAsync(vote.Author, cancellationToken).ConfigureAwait(false);
                data.PollVote = new DataMessage.Types.PollVote
                {
                    TargetAuthorAciBinary = ByteString.CopyFrom(author.ToByteArray(bigEndian: true)),
                    TargetSentTimestamp = (ulong)vote.PollTimestamp,
                    VoteCount = (uint)vote.VoteCount,
                };
                data.PollVote.OptionIndexes.Add(vote.OptionIndexes.Select(i => (uint)i));
                break;
            case PollClosing close:
                if (close.PollTimestamp <= 0)
                {
                    throw new InvalidPollException("closing a poll needs the poll's timestamp");
                }

                data.PollTerminate = new DataMessage.Types.PollTerminate { TargetSentTimestamp = (ulong)close.PollTimestamp };
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(poll), poll.GetType().Name, "unknown poll action");
        }
    }

    private static void Check(PollCreation create)
    {
        if (string.IsNullOrWhiteSpace(create.Question))
        {
            throw new InvalidPollException("a poll needs a question");
        }

        if (create.Options.Count is < MinOptions or > MaxOptions)
        {
            throw new InvalidPollException($"a poll needs between {MinOptions} and {MaxOptions} options");
        }

        if (create.Options.Any(o => o.Length is 0 or > MaxOptionLength))
        {
            throw new InvalidPollException($"each poll option must be between 1 and {MaxOptionLength} characters");
        }
    }
}
