using System.Net.Sockets;

namespace SignalSharp.Cli.OneShot;

/// <summary>
/// Where a daemon serving an account answers JSON-RPC for one-shot commands: DIR/run/+NUMBER.socket, the file 0600
/// in a 0700 folder (only the account's owner can reach it). A one-shot command that finds a daemon there sends its
/// request through it instead of opening the account a second time.
/// </summary>
internal static class ControlSocket
{
    public static string PathFor(string configDirectory, string number) => Path.Combine(configDirectory, "run", number + ".socket");

    /// <summary>Whether a daemon may be listening (the file exists; connecting tells for sure).</summary>
    public static bool MayBeServed(string path) => File.Exists(path);

    /// <summary>Whether a live daemon accepts connections at <paramref name="path"/> (a second daemon must not take its place).</summary>
    public static async Task<bool> IsServedAsync(string path, CancellationToken cancellationToken)
    {
        if (!MayBeServed(path))
        {
            return false;
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
