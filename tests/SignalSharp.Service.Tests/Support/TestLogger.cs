using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SignalSharp.Service.Tests.Support;

/// <summary>Keeps log lines so a failing test can show what the transport did.</summary>
internal sealed class TestLogger : ILogger
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {formatter(state, exception)}");

    public override string ToString() => string.Join(Environment.NewLine, Lines);
}
