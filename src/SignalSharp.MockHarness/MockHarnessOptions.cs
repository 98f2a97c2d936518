namespace SignalSharp.MockHarness;

/// <summary>How to start <c>interop/mock/harness.mjs</c>.</summary>
/// <param name="Contacts">Comma-separated contact names the harness registers besides the phone.</param>
/// <param name="Host">The address the mock server listens on.</param>
/// <param name="Port">The port; 0 lets the system choose (the ready line reports it).</param>
/// <param name="CommandTimeout">The harness's own timeout for waiting commands; null keeps the harness's default.</param>
/// <param name="ReadyTimeout">How long to wait for the ready line; null means one minute.</param>
/// <param name="Front">Also start the production-style front (<c>interop/mock/front/</c>), a test-only stand-in for production's hosts.</param>
public sealed record MockHarnessOptions(
    string Contacts = "Alice,Bob",
    string Host = "127.0.0.1",
    int Port = 0,
    TimeSpan? CommandTimeout = null,
    TimeSpan? ReadyTimeout = null,
    bool Front = false)
{
    internal IEnumerable<string> Arguments()
    {
        yield return Path.Combine("mock", "harness.mjs");
        yield return "--host";
        yield return Host;
        yield return "--port";
        yield return Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        yield return "--contacts";
        yield return Contacts;
        if (CommandTimeout is { } timeout)
        {
            yield return "--timeout-ms";
            yield return ((long)timeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (Front)
        {
            yield return "--front";
        }
    }
}
