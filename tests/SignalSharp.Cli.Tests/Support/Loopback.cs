using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SignalSharp.Cli.Tests.Support;

/// <summary>Free loopback ports and connecting to a daemon that is still starting.</summary>
internal static class Loopback
{
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Retries until the daemon listens (bounded by time), failing at once with its stderr if it exited.</summary>
    public static async Task<NetworkStream> ConnectAsync(int port, Task<int> daemon, StringWriter stderr)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(daemon.IsCompleted, "daemon exited: " + stderr);
            var client = new TcpClient { NoDelay = true };
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return client.GetStream();
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                client.Dispose();
                await Task.Delay(50);
            }
        }
    }
}
