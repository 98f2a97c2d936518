using System.Net;

namespace SignalSharp.Daemon.Server;

/// <summary>Settings of a <see cref="DaemonServer"/>.</summary>
public sealed record DaemonOptions
{
    public const int DefaultPort = 6789;

    /// <summary>128 MiB: a command with a large attachment fits, a runaway stream does not.</summary>
    public const long DefaultMaxCommandSize = 128L * 1024 * 1024;

    /// <summary>The longest receive_messages wait in milliseconds; longer timeouts are clamped to it.</summary>
    public const int MaxReceiveTimeoutMs = Commands.CommandParser.MaxReceiveTimeoutMs;

    public IPEndPoint EndPoint { get; init; } = new(IPAddress.Loopback, DefaultPort);

    public long MaxCommandSize { get; init; } = DefaultMaxCommandSize;

    /// <summary>
    /// Bytes that commands over 1 MiB may buffer across all connections at once; a command that would pass it is
    /// refused (-1) and its connection closed. Never below twice <see cref="MaxCommandSize"/>, so that one command
    /// of the largest size always fits (its buffer doubles while it arrives).
    /// </summary>
    public long CommandBufferBudget { get; init; } = 2 * DefaultMaxCommandSize;

    /// <summary>How long commands in progress may run on after a stop is requested.</summary>
    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    public int ListenBacklog { get; init; } = 512;

    /// <summary>When set, a connection's first object must carry this token (see <see cref="ClientAuthenticator"/>).</summary>
    public AuthToken? AuthToken { get; init; }
}
