namespace SignalSharp.MockHarness;

/// <summary>Something went wrong with the mock harness process or one of its commands.</summary>
public abstract class MockHarnessException(string message, Exception? innerException = null)
    : Exception("mock harness: " + message, innerException);

/// <summary>The harness answered <see cref="Command"/> with an error (as node reported it).</summary>
public sealed class MockHarnessCommandException(string command, string error) : MockHarnessException(error)
{
    public string Command { get; } = command;

    public string Error { get; } = error;

    /// <summary>A waiting command (e.g. waitForGroupMessage) ran out of time in node: nothing arrived.</summary>
    public bool IsTimeout => Error.Contains("timed out", StringComparison.Ordinal);
}

/// <summary>The harness process ended (or never got ready); <see cref="StandardError"/> is the tail of its log.</summary>
public sealed class MockHarnessExitedException(string standardError) : MockHarnessException("harness exited: " + standardError)
{
    public string StandardError { get; } = standardError;
}
