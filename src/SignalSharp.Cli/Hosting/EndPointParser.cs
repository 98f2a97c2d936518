using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SignalSharp.Daemon.Server;

namespace SignalSharp.Cli.Hosting;

/// <summary>
/// Reads --tcp: "HOST:PORT", "[IPv6]:PORT", "HOST" (port 6789) or ":PORT"/"PORT" (host 127.0.0.1). HOST is an IP
/// address, "localhost" (127.0.0.1) or a name resolved through DNS. Port 0 asks the kernel for a free port.
/// </summary>
internal static class EndPointParser
{
    public const string Default = "127.0.0.1:6789";

    public static bool TryParse(string? text, [NotNullWhen(true)] out IPEndPoint? endPoint, [NotNullWhen(false)] out string? error)
    {
        endPoint = null;
        error = null;
        text = string.IsNullOrWhiteSpace(text) ? Default : text.Trim();

        string host;
        var port = DaemonOptions.DefaultPort;
        string? portText = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0)
            {
                error = $"--tcp {text}: missing ']' after the IPv6 address";
                return false;
            }

            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    error = $"--tcp {text}: expected ':' and a port after ']'";
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
            error = $"--tcp {text}: '{portText}' is not a port number (0 to 65535)";
            return false;
        }

        if (!TryResolve(host, out var address))
        {
            error = $"--tcp {text}: cannot resolve host '{host}'";
            return false;
        }

        endPoint = new IPEndPoint(address, port);
        return true;
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
