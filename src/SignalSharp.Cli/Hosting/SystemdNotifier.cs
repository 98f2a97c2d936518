using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace SignalSharp.Cli.Hosting;

/// <summary>
/// systemd's notify protocol (sd_notify): when the service manager gave us $NOTIFY_SOCKET, the daemon says READY=1
/// once its listeners accept, STOPPING=1 when it drains, STATUS= lines a user sees in `systemctl status`, and
/// WATCHDOG=1 pings at half of $WATCHDOG_USEC. Without $NOTIFY_SOCKET it is never created, so nothing changes.
/// </summary>
internal sealed class SystemdNotifier : IDisposable
{
    private readonly Socket socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly UnixDomainSocketEndPoint target;
    private Timer? watchdog;

    private SystemdNotifier(UnixDomainSocketEndPoint target) => this.target = target;

    /// <summary>The notifier systemd asked for through <paramref name="environment"/>, or null when it asked for none.</summary>
    public static SystemdNotifier? FromEnvironment(Func<string, string?> environment)
    {
        var path = environment("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(path) || (path[0] != '/' && path[0] != '@'))
        {
            return null;
        }

        // "@name" names a socket in Linux's abstract namespace, which the socket address spells with a leading NUL.
        var notifier = new SystemdNotifier(new UnixDomainSocketEndPoint(path[0] == '@' ? "\0" + path[1..] : path));
        if (WatchdogInterval(environment) is { } interval)
        {
            notifier.watchdog = new Timer(_ => notifier.Send("WATCHDOG=1"), null, TimeSpan.Zero, interval);
        }

        return notifier;
    }

    /// <summary>Listeners accept: systemd may start what depends on us.</summary>
    public void Ready(string status) => Send($"READY=1\nSTATUS={status}\nMAINPID={Environment.ProcessId}");

    public void Status(string status) => Send($"STATUS={status}");

    /// <summary>The daemon drains its connections and will exit.</summary>
    public void Stopping() => Send("STOPPING=1\nSTATUS=stopping");

    public void Dispose()
    {
        watchdog?.Dispose();
        socket.Dispose();
    }

    /// <summary>Half the interval systemd expects pings at, as sd_watchdog_enabled advises; null when not ours.</summary>
    private static TimeSpan? WatchdogInterval(Func<string, string?> environment)
    {
        if (!long.TryParse(environment("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds) || microseconds <= 0)
        {
            return null;
        }

        var pid = environment("WATCHDOG_PID");
        if (pid is not null && pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
        {
            return null;
        }

        return TimeSpan.FromMicroseconds(microseconds / 2.0);
    }

    private void Send(string state)
    {
        try
        {
            socket.SendTo(Encoding.UTF8.GetBytes(state), target);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // A manager that went away cannot be told; the daemon serves on regardless, as sd_notify callers do.
        }
    }
}
