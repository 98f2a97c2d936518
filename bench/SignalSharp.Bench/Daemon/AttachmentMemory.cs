using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Buffers.Text;
using SignalSharp.Account.Api;
using SignalSharp.Daemon.Server;

namespace SignalSharp.Bench.Daemon;

/// <summary>
/// Issue 6, the daemon's own share: one big attachment through an in-process daemon with a fake account, either a
/// send_message carrying it as base64Data or a receive_messages answer carrying it. Reports the bytes the process
/// allocated during the command and its peak RSS (VmHWM, reset just before). The client side is kept cheap (a
/// prebuilt command sent in 64 KiB writes; the answer read and counted, not kept), so the figures are the daemon's.
/// Run each direction in its own process: `daemon-attachment send` and `daemon-attachment receive` [--mib N].
/// </summary>
internal static class AttachmentMemory
{
    public static async Task<int> RunAsync(string[] args)
    {
        var direction = args.FirstOrDefault() ?? "send";
        var mib = args.SkipWhile(a => a != "--mib").Skip(1).Select(int.Parse).DefaultIfEmpty(30).First();
        var data = new byte[mib << 20];
        new Random(6).NextBytes(data);
        var account = new AttachmentAccount(data);
        await using var server = new DaemonServer(account, new DaemonOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
        server.Start();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(server.LocalEndPoint!);
        var command = direction == "send" ? SendCommand(data) : "{\"command\":\"receive_messages\",\"timeout\":0}\n"u8.ToArray();
        var scratch = new byte[64 * 1024];

        GC.Collect(2, GCCollectionMode.Forced, true, true);
        GC.WaitForPendingFinalizers();
        await File.WriteAllTextAsync("/proc/self/clear_refs", "5");
        var rssBefore = ReadStatus("VmRSS");
        var before = GC.GetTotalAllocatedBytes(true);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < command.Length; i += scratch.Length)
        {
            await client.SendAsync(command.AsMemory(i, Math.Min(scratch.Length, command.Length - i)), SocketFlags.None);
        }

        long answered = 0;
        while (true)
        {
            var n = await client.ReceiveAsync(scratch, SocketFlags.None);
            answered += n;
            if (n == 0 || scratch[n - 1] == '\n')
            {
                break;
            }
        }

        watch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(true) - before;
        var peak = ReadStatus("VmHWM");
        GC.Collect(2, GCCollectionMode.Forced, true, true);
        Console.WriteLine($"{direction} {mib} MiB attachment: {watch.ElapsedMilliseconds} ms, answer {answered} bytes, " +
            $"allocated {allocated >> 20} MiB, peak RSS {peak >> 10} MiB (RSS before the command {rssBefore >> 10} MiB), RSS after a full GC {ReadStatus("VmRSS") >> 10} MiB " +
            $"(the attachment itself and the client's prebuilt command: {(data.Length + command.Length) >> 20} MiB)");
        return account.Failure is null ? 0 : Fail(account.Failure);
    }

    /// <summary>The send_message, built straight as UTF-8 so that no 80 MiB UTF-16 string inflates the baseline.</summary>
    private static byte[] SendCommand(byte[] data)
    {
        var head = "{\"command\":\"send_message\",\"recipient\":\"+4366412345678\",\"dataMessage\":{\"attachments\":[{\"base64Data\":\""u8;
        var tail = "\",\"filename\":\"x\"}]}}\n"u8;
        var command = new byte[head.Length + Base64.GetMaxEncodedToUtf8Length(data.Length) + tail.Length];
        head.CopyTo(command);
        Base64.EncodeToUtf8(data, command.AsSpan(head.Length), out _, out var written);
        tail.CopyTo(command.AsSpan(head.Length + written));
        return command;
    }

    private static int Fail(string why)
    {
        Console.Error.WriteLine(why);
        return 1;
    }

    private static long ReadStatus(string key) =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith(key + ":", StringComparison.Ordinal))
            .Split(':')[1].Replace("kB", "", StringComparison.Ordinal).Trim());

    /// <summary>Checks the sent attachment byte for byte; hands out one message carrying it.</summary>
    private sealed class AttachmentAccount(byte[] data) : ISignalAccount
    {
        public string? Failure { get; private set; }

        public Task<AccountStoppedException> Stopped { get; } = new TaskCompletionSource<AccountStoppedException>().Task;

        public Task<SendResult> SendMessageAsync(MessageTarget target, OutgoingMessage message, CancellationToken cancellationToken)
        {
            if (message.Attachments.Count != 1 || !message.Attachments[0].Data.Span.SequenceEqual(data))
            {
                Failure = "the daemon decoded a different attachment";
            }

            return Task.FromResult(new SendResult(1));
        }

        public Task<SendResult> SendRemoteDeleteAsync(MessageTarget target, long targetTimestamp, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("not measured");

        public Task<SendResult> SendTypingAsync(MessageTarget target, bool started, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("not measured");

        public Task<SendResult> SendReceiptAsync(RecipientAddress recipient, ReceiptKind kind, IReadOnlyList<long> messageTimestamps, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("not measured");

        public Task<SendResult> SetExpirationTimerAsync(MessageTarget target, int seconds, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("not measured");

        public Task SubmitRateLimitChallengeAsync(string challenge, string captcha, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the benchmark account is never rate limited");

        public void SetSendReadReceipts(bool enabled)
        {
        }

        public Task<SendResult> SendReactionAsync(MessageTarget target, OutgoingReaction reaction, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("not measured");

        public Task<ReceivedBatch> ReceiveAsync(ReceiveRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(new ReceivedBatch([new ReceivedMessage(1, "+4366412345678", null,
                [new ReceivedAttachment(data, "x", "application/octet-stream", data.Length)])]));

        public Task<IReadOnlyList<IdentityEntry>> ListIdentitiesAsync(RecipientAddress? recipient, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the benchmark account has no identities");

        public Task<IdentityEntry> TrustAsync(RecipientAddress recipient, TrustRequest request, CancellationToken cancellationToken) =>
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
    }
}
