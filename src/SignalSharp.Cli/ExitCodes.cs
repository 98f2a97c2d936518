namespace SignalSharp.Cli;

/// <summary>The process exit codes, one place for all.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The account is missing, unknown or malformed.</summary>
    public const int AccountProblem = 1;

    /// <summary>The command line is wrong (unknown option, bad --tcp or --max-command-size).</summary>
    public const int Usage = 2;

    /// <summary>The daemon could not listen (address in use, no permission, unknown host).</summary>
    public const int CannotListen = 3;

    /// <summary>The server no longer serves the account on this device (unlinked, or this client refused): link again.</summary>
    public const int AccountStopped = 4;

    /// <summary>A one-shot command was refused or failed (its message is on stderr).</summary>
    public const int CommandFailed = 5;
}
