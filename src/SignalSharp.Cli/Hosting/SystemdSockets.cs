using System.Globalization;
using System.Net.Sockets;

namespace SignalSharp.Cli.Hosting;

/// <summary>
/// systemd socket activation (sd_listen_fds): when $LISTEN_PID names this process, $LISTEN_FDS listening sockets
/// start at descriptor 3. The daemon then serves those instead of binding its own, so systemd can hold the port or
/// socket file while the daemon restarts, and start it on the first connection.
/// </summary>
internal static class SystemdSockets
{
    private const int FirstDescriptor = 3;

    /// <summary>The inherited listening sockets, or none when systemd passed none to this process.</summary>
    public static IReadOnlyList<Socket> FromEnvironment(Func<string, string?> environment)
    {
        if (environment("LISTEN_PID") != Environment.ProcessId.ToString(CultureInfo.InvariantCulture)
            || !int.TryParse(environment("LISTEN_FDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || count <= 0)
        {
            return [];
        }

        var sockets = new List<Socket>(count);
        for (var descriptor = FirstDescriptor; descriptor < FirstDescriptor + count; descriptor++)
        {
            sockets.Add(new Socket(new SafeSocketHandle(descriptor, ownsHandle: true)));
        }

        return sockets;
    }

    /// <summary>A stream socket of the internet families: the TCP listener's.</summary>
    public static bool IsTcp(Socket socket) => socket.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6;
}
