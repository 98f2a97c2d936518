using System.Runtime.InteropServices;

namespace SignalSharp.Cli.Hosting;

/// <summary>SIGINT and SIGTERM as a cancellation: the first one stops gracefully, a second one terminates the default way.</summary>
internal static class StopSignals
{
    /// <summary>Cancels <paramref name="stop"/> on SIGINT or SIGTERM while the returned registration lives.</summary>
    public static IDisposable Register(CancellationTokenSource stop)
    {
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = !stop.IsCancellationRequested;
            stop.Cancel();
        }

        var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        return new Registrations(sigint, sigterm);
    }

    /// <summary>Until SIGINT or SIGTERM (or a test's token, or the invocation's).</summary>
    public static async Task WaitAsync(CancellationToken external, CancellationToken invocation)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(external, invocation);
        using var signals = Register(stop);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private sealed class Registrations(PosixSignalRegistration sigint, PosixSignalRegistration sigterm) : IDisposable
    {
        public void Dispose()
        {
            sigint.Dispose();
            sigterm.Dispose();
        }
    }
}
