using System.Globalization;
using System.Net.Http;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Profiles;
using SignalSharp.Service.Transport;

namespace SignalSharp.Bench.Daemon;

/// <summary>
/// What one idle chat WebSocket (TLS + HTTP/2 extended CONNECT, as an account keeps to the server) costs in this
/// process: N unauthenticated chat sockets to the mock, each on its own handler (one TLS connection each, as one
/// account has), a receive pending on each as <c>WebSocketConnection</c> keeps one, then idle, a compacting GC and
/// <c>malloc_trim</c> (as <c>IdleMemoryTrim</c> does), and RSS, anonymous memory and the GC heap per socket. One
/// socket is opened and measured first, so the per-socket figure leaves out what the first one loads once.
/// Usage: chat-sockets [--sockets 200] [--idle-seconds 5] [--knob none|window|buffer|...]
/// </summary>
internal static class ChatSockets
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = int.Parse(DaemonLoad.Option(args, "--sockets") ?? "200", CultureInfo.InvariantCulture);
        var idle = TimeSpan.FromSeconds(double.Parse(DaemonLoad.Option(args, "--idle-seconds") ?? "5", CultureInfo.InvariantCulture));
        var knob = DaemonLoad.Option(args, "--knob") ?? "none";
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var ct = timeout.Token;
        var work = Directory.CreateTempSubdirectory("signal-sharp-bench-sockets-").FullName;
        var sockets = new List<(HttpMessageInvoker Invoker, WebSocket Socket, Task Receive)>();
        try
        {
            await using var mock = await MockServer.StartAsync(contacts: "Alice", ct);
            var profilePath = Path.Combine(work, "mock.json");
            mock.WriteServerProfile(profilePath);
            var profile = ServerProfile.Load(profilePath);
            var endpoint = profile.ChatEndpoints[0];
            async Task OpenAsync()
            {
                var handler = ServiceHttpHandler.Create(profile);
                Apply(handler, knob);
                var invoker = new HttpMessageInvoker(handler, disposeHandler: true);
                var socket = await WebSocketConnector.ConnectAsync(invoker, endpoint.ChatWebSocketUrl, endpoint.Http, [], TimeSpan.FromSeconds(30), ct);
                sockets.Add((invoker, socket, ReceiveAsync(socket, ct)));
            }

            var start = await SettleAsync(idle);
            await OpenAsync();
            var one = await SettleAsync(idle);
            var tracking = OpenSslAllocated() >= 0;
            if (tracking)
            {
                CryptoDiagnostic("EnableMemoryTracking");
            }

            for (var i = 1; i <= count; i++)
            {
                await OpenAsync();
            }

            var many = await SettleAsync(idle);
            if (tracking)
            {
                PrintTrackedAllocations(count);
            }
            var open = sockets.Count(s => s.Socket.State == WebSocketState.Open);
            var line = string.Create(CultureInfo.InvariantCulture,
                $"chat-sockets knob={knob} env={Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") ?? "-"}/{Environment.GetEnvironmentVariable("GLIBC_TUNABLES") ?? "-"}: "
                + $"first socket RSS +{(one.Rss - start.Rss) / 1024.0:F0} KiB; per socket over {count} more ({open} open): "
                + $"RSS {(many.Rss - one.Rss) / 1024.0 / count:F1} KiB, anonymous {(many.Anon - one.Anon) / 1024.0 / count:F1} KiB, "
                + $"GC heap {(many.Heap - one.Heap) / 1024.0 / count:F1} KiB, malloc in use {(many.Malloc - one.Malloc) / 1024.0 / count:F1} KiB");
            var openSsl = many.OpenSsl < 0 ? "" : string.Create(CultureInfo.InvariantCulture, $", OpenSSL {(many.OpenSsl - one.OpenSsl) / 1024.0 / count:F1} KiB");
            Console.WriteLine(line + openSsl);
            return 0;
        }
        finally
        {
            foreach (var (invoker, socket, _) in sockets)
            {
                socket.Abort();
                socket.Dispose();
                invoker.Dispose();
            }

            Directory.Delete(work, recursive: true);
        }
    }

    private static void Apply(SocketsHttpHandler handler, string knob)
    {
        foreach (var part in knob.Split('+'))
        {
            switch (part)
            {
                case "none":
                    break;
                case "window":
                    // The smallest HTTP/2 stream receive window (RFC 7540's default); .NET's own default is 64 KiB with growth.
                    handler.InitialHttp2StreamWindowSize = 65535;
                    break;
                case "release":
                    // OpenSSL's SSL_MODE_RELEASE_BUFFERS on each connection, set on the SslStream the handler made (the
                    // plaintext filter sees it before any HTTP/2 byte): the SSL* handle is found by reflection into the
                    // runtime's private fields, a bench experiment only.
                    handler.PlaintextStreamFilter = (context, _) =>
                    {
                        ReleaseBuffers(context.PlaintextStream);
                        return ValueTask.FromResult(context.PlaintextStream);
                    };
                    break;
                case "nopings":
                    handler.KeepAlivePingDelay = Timeout.InfiniteTimeSpan;
                    break;
                default:
                    throw new ArgumentException($"unknown knob {part}");
            }
        }
    }

    private const int SslCtrlMode = 33;
    private const long SslModeReleaseBuffers = 0x10;

    private static void ReleaseBuffers(Stream stream)
    {
        var flags = System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic;
        var context = stream.GetType().GetField("_securityContext", flags)?.GetValue(stream)
            ?? throw new MissingFieldException($"SslStream._securityContext: {string.Join(", ", stream.GetType().GetFields(flags).Select(f => f.Name))}");
        // .NET 10 on Unix: the context is the SafeSslHandle (SSL*) itself.
        var ssl = context as SafeHandle is { } handle && context.GetType().Name == "SafeSslHandle"
            ? handle
            : throw new MissingFieldException($"SslStream._securityContext is a {context.GetType().Name}");
        _ = SslCtrl(ssl.DangerousGetHandle(), SslCtrlMode, SslModeReleaseBuffers, IntPtr.Zero);
    }

    [DllImport("libssl.so.3", EntryPoint = "SSL_ctrl")]
    private static extern long SslCtrl(IntPtr ssl, int command, long value, IntPtr pointer);

    // As WebSocketConnection keeps one: a 4 KiB receive pending for as long as the socket lives.
    private static async Task ReceiveAsync(WebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[4 * 1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                await socket.ReceiveAsync(buffer.AsMemory(), ct);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    // With DOTNET_OPENSSL_MEMORY_DEBUG=1 the runtime counts OpenSSL's allocations; the counter is
    // reached only by reflection (a diagnostic of the runtime's, not an API); -1 without it.
    private static long OpenSslAllocated()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_OPENSSL_MEMORY_DEBUG") != "1")
        {
            return -1;
        }

        var crypto = typeof(System.Security.Cryptography.Aes).Assembly.GetType("Interop+Crypto");
        var method = crypto?.GetMethod("GetOpenSslAllocatedMemory", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public);
        return method is null ? -1 : Convert.ToInt64(method.Invoke(null, null), CultureInfo.InvariantCulture);
    }

    private static object? CryptoDiagnostic(string name, params object[] args)
    {
        var crypto = typeof(System.Security.Cryptography.Aes).Assembly.GetType("Interop+Crypto")!;
        var flags = System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public;
        var method = crypto.GetMethods(flags).FirstOrDefault(m => m.Name == name && m.GetParameters().Length == args.Length)
            ?? throw new MissingMethodException(string.Join(", ", crypto.GetMethods(flags).Select(m => m.Name).Where(n => n.Contains("Track", StringComparison.Ordinal) || n.Contains("OpenSsl", StringComparison.Ordinal))));
        return method.Invoke(null, args);
    }

    // OpenSSL's live allocations made since tracking began, by size and by source line, per socket.
    private static void PrintTrackedAllocations(int count)
    {
        var bySite = new Dictionary<string, (long Bytes, int Count)>();
        CryptoDiagnostic("ForEachTrackedAllocation", new Action<IntPtr, ulong, IntPtr, int>((_, size, file, lineNo) =>
        {
            var site = $"{Marshal.PtrToStringUTF8(file)}:{lineNo}";
            var (bytes, n) = bySite.GetValueOrDefault(site);
            bySite[site] = (bytes + (long)size, n + 1);
        }));
        foreach (var (site, (bytes, n)) in bySite.OrderByDescending(p => p.Value.Bytes).Take(25))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  openssl {bytes / 1024.0 / count,8:F2} KiB/socket {n / (double)count,7:F1} allocs/socket  {site}"));
        }
    }

    private static async Task<(long Rss, long Anon, long Heap, long Malloc, long OpenSsl)> SettleAsync(TimeSpan idle)
    {
        await Task.Delay(idle);
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _ = MallocTrim(0);
        await Task.Delay(200);
        var status = File.ReadAllLines("/proc/self/status");
        long Field(string name) => long.Parse(status.First(l => l.StartsWith(name, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        var info = MallInfo2();
        return (Field("VmRSS:"), Field("RssAnon:"), GC.GetGCMemoryInfo().HeapSizeBytes, (long)info.Uordblks, OpenSslAllocated());
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    [DllImport("libc", EntryPoint = "mallinfo2")]
    private static extern MallocInfo MallInfo2();

    [StructLayout(LayoutKind.Sequential)]
    private struct MallocInfo
    {
        public nuint Arena, Ordblks, Smblks, Hblks, Hblkhd, Usmblks, Fsmblks, Uordblks, Fordblks, Keepcost;
    }
}
