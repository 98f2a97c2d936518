using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SignalSharp.Account.Api;
using SignalSharp.Account.Proto;

namespace SignalSharp.Account.Sending;

/// <summary>
/// Answers every message a contact sent (a data message or an edit) with a delivery receipt, as Signal's apps and
/// signal-cli do, and, when asked (signal-cli's <c>--send-read-receipts</c>), with a read receipt as well. The
/// receipts go out in the background once the receiver let go of the protocol gate, one per sender for every
/// message that arrived meanwhile; a receipt that cannot be sent is logged and dropped (it is not worth a repair).
/// </summary>
internal sealed class AutomaticReceipts(DirectSender direct, Guid ownAci, ILogger logger, CancellationToken stopping)
{
    private readonly Channel<(Guid Sender, long Timestamp)> pending =
        Channel.CreateUnbounded<(Guid, long)>(new UnboundedChannelOptions { SingleReader = true });

    private volatile bool sendReadReceipts;
    private int sent;

    /// <summary>Whether a read receipt follows each delivery receipt.</summary>
    public bool SendReadReceipts
    {
        get => sendReadReceipts;
        set => sendReadReceipts = value;
    }

    /// <summary>Receipts sent since the start (delivery and read).</summary>
    public int Sent => Volatile.Read(ref sent);

    /// <summary>Called for committed content: a contact's message is queued for its receipt.</summary>
    public void OnContent(Guid sender, Content content)
    {
        var data = content.DataMessage ?? content.EditMessage?.DataMessage;
        if (sender == ownAci || data is null || !data.HasTimestamp)
        {
            return;
        }

        pending.Writer.TryWrite((sender, (long)data.Timestamp));
    }

    /// <summary>Sends the queued receipts until the account stops.</summary>
    public async Task RunAsync()
    {
        var reader = pending.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                var bySender = new Dictionary<Guid, List<long>>();
                while (reader.TryRead(out var next))
                {
                    if (!bySender.TryGetValue(next.Sender, out var timestamps))
                    {
                        bySender[next.Sender] = timestamps = [];
                    }

                    timestamps.Add(next.Timestamp);
                }

                foreach (var (sender, timestamps) in bySender)
                {
                    await SendAsync(sender, ReceiptKind.Delivery, timestamps).ConfigureAwait(false);
                    if (SendReadReceipts)
                    {
                        await SendAsync(sender, ReceiptKind.Read, timestamps).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task SendAsync(Guid sender, ReceiptKind kind, List<long> timestamps)
    {
        try
        {
            var receipt = new Content { ReceiptMessage = SendRouter.Receipt(kind, timestamps) };
            var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await direct.SendControlAsync(sender, RecipientAddress.Aci(new Aci(sender)), receipt, now, DeliveryKind.Quiet, stopping).ConfigureAwait(false);
            Interlocked.Increment(ref sent);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            AccountLog.ReceiptFailed(logger, sender, kind.ToString(), e.GetType().Name);
        }
    }
}
