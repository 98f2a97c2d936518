using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SignalSharp.Daemon.Server;

namespace SignalSharp.Cli.Hosting;

/// <summary>
/// Reads --tcp and --http: "HOST:PORT", "[IPv6]:PORT", "HOST" (the default port) or ":PORT"/"PORT" (host
/// 127.0.0.1). HOST is an IP address, "localhost" (127.0.0.1) or a name resolved through DNS. Port 0 asks the kernel
/// for a free port. The default port is the seed protocol's 6789 unless the caller names signal-cli's.
/// </summary>
internal static class EndPointParser
{
    public const string Default = "127.0.0.1:6789";

    /// <summary>signal-cli's `daemon --tcp` port.</summary>
    public const int JsonRpcTcpPort = 7583;

    /// <summary>signal-cli's `daemon --http` port.</summary>
    public const int HttpPort = 8080;

    public static bool TryParse(string? text, [NotNullWhen(true)] out IPEndPoint? endPoint, [NotNullWhen(false)] out string? error) =>
        TryParse(text, DaemonOptions.DefaultPort, "--tcp", out endPoint, out error);

    public static bool TryParse(string? text, int defaultPort, string option, [NotNullWhen(true)] out IPEndPoint? endPoint, [NotNullWhen(false)] out string? error)
    {
        endPoint = null;
        error = null;
        text = string.IsNullOrWhiteSpace(text) ? $"127.0.0.1:{defaultPort}" : text.Trim();

        string host;
        var port = defaultPort;
        string? portText = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0)
            {
                error = $"{option} {text}: missing ']' after the IPv6 address";
                return false;
            }

            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    error = $"{option} {text}: expected ':' and a port after ']'";
                    return false;
                }

                portText = rest[1..];
            }
        }
        else if (text.Count(c => c == ':') > 1)
        {
            host = text;   // a bare IPv6 address
        }
        else if (text.LastIndexOf(':') is var colon and >= 0)
        {
            host = text[..colon];
            portText = text[(colon + 1)..];
        }
        else if (text.All(char.IsAsciiDigit))
        {
            host = "";
            portText = text;
        }
        else
        {
            host = text;
        }

        if (portText is not null && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535))
        {
            error = $"{option} {text}: '{portText}' is not a port number (0 to 65535)";
            return false;
        }

        if (!TryResolve(host, out var address))
        {
            error = $"{option} {text}: cannot resolve host '{host}'";
            return false;
        }

        endPoint = new IPEndPoint(address, port);
        return true;
    }

    /// <summary>The host part as written ("" when only a port was given): what an HTTP Host header may name.</summary>
    public static string HostOf(string? text)
    {
        text = text?.Trim() ?? "";
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            return close < 0 ? text : text[1..close];
        }

        if (text.Count(c => c == ':') > 1)
        {
            return text;
        }

        return text.LastIndexOf(':') is var colon and >= 0 ? text[..colon] : text.All(char.IsAsciiDigit) ? "" : text;
    }

    private static bool TryResolve(string host, [NotNullWhen(true)] out IPAddress? address)
    {
        if (host.Length == 0 || host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
            return true;
        }

        if (IPAddress.TryParse(host, out address))
        {
            return true;
        }

        try
        {
            var addresses = Dns.GetHostAddresses(host);
            address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
            return address is not null;
        }
        catch (SocketException)
        {
            address = null;
            return false;
        }
    }
}
