using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SignalSharp.Cli.Hosting;

/// <summary>
/// Log lines to stderr, formatted on the caller's thread and written by one background thread, so that a slow
/// terminal or pipe never holds up the daemon. Built by hand rather than through Microsoft.Extensions.Logging's
/// dependency-injection container, whose service resolution loads generic types at run time in a NativeAOT binary
/// and cost a daemon about 15 ms of its start.
/// </summary>
internal sealed class StderrLoggerProvider : ILoggerProvider
{
    // Like the console logger's queue: a burst of logging waits for the writer instead of growing without bound.
    private const int QueueLimit = 2500;

    private readonly LogFormat format;
    private readonly BlockingCollection<string> lines = new(QueueLimit);
    private readonly TextWriter output;
    private readonly Lock writing = new();
    private readonly Thread writer;

    public StderrLoggerProvider(LogFormat format, TextWriter? output = null)
    {
        this.format = format;
        this.output = output ?? Console.Error;
        writer = new Thread(WriteLines) { IsBackground = true, Name = "Log writer" };
        writer.Start();
    }

    public ILogger CreateLogger(string categoryName) => new StderrLogger(categoryName, this);

    public void Dispose()
    {
        lines.CompleteAdding();
        // What was logged before the stop is written out, within reason; a writer stuck on a full pipe keeps its queue.
        if (writer.Join(TimeSpan.FromSeconds(1.5)))
        {
            lines.Dispose();
        }
    }

    private void Enqueue(string line)
    {
        if (!lines.IsAddingCompleted)
        {
            try
            {
                lines.Add(line);
                return;
            }
            catch (InvalidOperationException)
            {
                // Completed between the check and the add: the process is stopping; write it here.
            }
        }

        Write(line);
    }

    private void WriteLines()
    {
        foreach (var line in lines.GetConsumingEnumerable())
        {
            Write(line);
        }
    }

    private void Write(string line)
    {
        try
        {
            lock (writing)
            {
                output.Write(line);
                output.Flush();
            }
        }
        catch (IOException)
        {
            // stderr is gone (a closed pipe): the logs have nowhere to go, the daemon goes on.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private sealed class StderrLogger(string category, StderrLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        // The factory's filter rules decide the levels; this logger writes whatever reaches it.
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            var entry = new LogLine(DateTimeOffset.UtcNow, logLevel, category, eventId.Id, message, exception,
                state as IReadOnlyList<KeyValuePair<string, object?>>);
            provider.Enqueue(provider.format == LogFormat.Json ? LogLineFormatter.Json(entry) : LogLineFormatter.Text(entry));
        }
    }
}
