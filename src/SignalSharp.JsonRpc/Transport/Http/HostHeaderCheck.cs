using System.Globalization;
using System.Net;

namespace SignalSharp.JsonRpc.Transport.Http;

/// <summary>
/// signal-cli's (0.14.4) defence against DNS rebinding: unless the server listens on every address, a request's Host
/// must name the host it was started with, localhost, 127.0.0.1 or ::1 (any case), and a port in it must be the
/// listening port; otherwise the request is answered 421.
/// </summary>
public sealed class HostHeaderCheck
{
    private readonly HashSet<string> allowedHosts;
    private readonly bool anyAddress;

    /// <param name="configuredHost">The host as given on the command line (a name or an address literal).</param>
    public HostHeaderCheck(string configuredHost, IPAddress boundAddress, int port)
    {
        Port = port;
        anyAddress = boundAddress.Equals(IPAddress.Any) || boundAddress.Equals(IPAddress.IPv6Any);
        allowedHosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "localhost", "127.0.0.1", "::1", boundAddress.ToString() };
        if (configuredHost.Length > 0)
        {
            allowedHosts.Add(configuredHost.Trim('[', ']'));
        }
    }

    /// <summary>The listening port a Host header's port must match.</summary>
    public int Port { get; set; }

    public bool Allows(string? hostHeader)
    {
        if (anyAddress)
        {
            return true;
        }

        if (string.IsNullOrEmpty(hostHeader))
        {
            return false;
        }

        var host = hostHeader;
        string? port = null;
        if (hostHeader.StartsWith('['))
        {
            var close = hostHeader.IndexOf(']');
            if (close < 0)
            {
                return false;
            }

            host = hostHeader[1..close];
            if (hostHeader.Length > close + 1 && hostHeader[close + 1] == ':')
            {
                port = hostHeader[(close + 2)..];
            }
        }
        else if (hostHeader.LastIndexOf(':') is var colon and >= 0 && hostHeader[(colon + 1)..].All(char.IsAsciiDigit))
        {
            host = hostHeader[..colon];
            port = hostHeader[(colon + 1)..];
        }

        if (!allowedHosts.Contains(host))
        {
            return false;
        }

        return port is null
            || (int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number == Port);
    }
}
