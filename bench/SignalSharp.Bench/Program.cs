using BenchmarkDotNet.Running;
using SignalSharp.Bench.Daemon;

namespace SignalSharp.Bench;

public static class Program
{
    // `dotnet run -c Release --project bench/SignalSharp.Bench -- --filter '*'` runs every BenchmarkDotNet class.
    // Load generators that are not BenchmarkDotNet classes are verbs:
    //   daemon-load [--seconds S] [--aot | --endpoint HOST:PORT]
    //                    commands/s and p50/p99 latency of the TCP daemon over loopback (1 and 64 connections);
    //                    in-process by default, --aot against the NativeAOT benchmark host in its own process
    //   daemon-startup [--runs N]
    //                    start-to-listening time and idle RSS of the NativeAOT-published daemon
    //   daemon-online [--runs N] [--baseline-ref REF | --baseline PATH] [--binary PATH]
    //                    exec -> accepting, exec -> first send answered and idle RSS of the NativeAOT daemon with a
    //                    linked account on the mock server, beside a baseline binary (main by default) in the same run
    //   idle-memory [--messages N] [--batch N] [--idle-seconds S] [--binary PATH] [--baseline PATH | --baseline-ref REF] [--env NAME=VALUE]
    //                    RSS of the NativeAOT daemon with a linked account after start and after N messages received and
    //                    delivered (receive_messages), this tree beside a baseline, both at once
    //   many-accounts [--sizes 1,10,100] [--rounds N] [--idle-seconds S] [--binary PATH] [--baseline PATH | --baseline-ref REF]
    //                    RSS and one account's send/receive latency of a multi-account daemon serving 1, 10, 100, ... linked
    //                    accounts on the mock server, this tree beside a baseline
    //   store-memory [--accounts N] [--concurrent-reads N]
    //                    SQLite's native memory per account database (writer, and readers after concurrent reads)
    //   chat-sockets [--sockets N] [--idle-seconds S] [--knob none|window|nopings|release]
    //                    RSS, GC heap, malloc (and OpenSSL with DOTNET_OPENSSL_MEMORY_DEBUG=1) per idle chat WebSocket
    //   jsonrpc-load [--binary PATH] [--sends N] [--receives N] [--oneshots N]
    //                    issue 15 on the mock server, one NativeAOT daemon: send round trip and receive latency of the
    //                    seed protocol, JSON-RPC on TCP and HTTP/SSE, and a one-shot send through the daemon, same run
    //   daemon-attachment send|receive [--mib N]
    //                    allocated bytes and peak RSS of one big attachment through the in-process daemon
    //   daemon           daemon-load in-process, daemon-load --aot, then daemon-startup
    //   sealed [ROUNDS]  sealed sender v1 and v2 (100 recipients): SignalSharp against libsignal (node), same run
    //   zkgroup-interleaved [ROUNDS]
    //                    the ZkGroupBenchmarks operations, C# and libsignal alternating op by op: medians and minima
    //   group-send [SENDS]  a group send to 100 members on the mock server: client-side time and total per send
    //   account-load [--receive N] [--sends N] [--batch N]
    //                    issue 5 against the mock server with the Release daemon: receive throughput of N queued
    //                    messages, send_message p50/p99, daemon RSS (needs dotnet build -c Release src/SignalSharp.Cli)
    //   receive-backlog [--runs N] [--receive N] [--binary PATH] [--baseline PATH | --baseline-ref REF]
    //                    envelopes/s and CPU per envelope draining a queued backlog, NativeAOT daemon of this tree beside
    //                    a baseline (main by default), interleaved run by run
    //   send-burst [--runs N] [--sends N] [--contacts N] [--in-flight N] [--binary PATH] [--baseline PATH | --baseline-ref REF]
    //                    JSON-RPC send requests/s with N in flight on one connection, to one contact or over N contacts,
    //                    this tree beside a baseline, interleaved run by run
    public static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "daemon-load":
                return await DaemonLoad.RunAsync(args[1..]);
            case "sealed":
                await Protocol.SealedSenderLoad.RunAsync(args[1..]);
                return 0;
            case "zkgroup-interleaved":
                await ZkGroup.ZkGroupInterleaved.RunAsync(args[1..]);
                return 0;
            case "group-send":
                return await Account.GroupSendLoad.RunAsync(args[1..]);
            case "account-load":
                return await Account.AccountLoad.RunAsync(args[1..]);
            case "receive-backlog":
                return await Account.ReceiveBacklog.RunAsync(args[1..]);
            case "send-burst":
                return await Account.SendBurst.RunAsync(args[1..]);
            case "daemon-attachment":
                return await AttachmentMemory.RunAsync(args[1..]);
            case "daemon-startup":
                return await DaemonStartup.RunAsync(args[1..]);
            case "daemon-online":
                return await DaemonOnline.RunAsync(args[1..]);
            case "idle-memory":
                return await IdleMemory.RunAsync(args[1..]);
            case "many-accounts":
                return await ManyAccounts.RunAsync(args[1..]);
            case "chat-sockets":
                return await ChatSockets.RunAsync(args[1..]);
            case "store-memory":
                return await StoreMemory.RunAsync(args[1..]);
            case "jsonrpc-load":
                return await JsonRpcLoad.RunAsync(args[1..]);
            case "daemon":
                var inProcess = await DaemonLoad.RunAsync(args[1..]);
                var aot = await DaemonLoad.RunAsync([.. args[1..], "--aot"]);
                var startup = await DaemonStartup.RunAsync(args[1..]);
                return new[] { inProcess, aot, startup }.FirstOrDefault(code => code != 0);
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
                return 0;
        }
    }
}
