using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace SignalSharp.Cli.Hosting;

/// <summary>One log entry as it reaches the formatter.</summary>
internal sealed record LogLine(DateTimeOffset Time, LogLevel Level, string Category, int EventId, string Message, Exception? Exception,
    IReadOnlyList<KeyValuePair<string, object?>>? State);

/// <summary>
/// The two line shapes the daemon has always written, as .NET's console logger wrote them: the simple single-line
/// text (<c>2026-12-08T00:40:31.820Z info: Category[1] message</c>) and one JSON object per line with Timestamp,
/// EventId, LogLevel, Category, Message, Exception and State.
/// </summary>
internal static class LogLineFormatter
{
    private const string TimeFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";

    public static string Text(LogLine line)
    {
        var text = new StringBuilder(128);
        text.Append(line.Time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)).Append(' ')
            .Append(ShortLevel(line.Level)).Append(": ").Append(line.Category)
            .Append('[').Append(line.EventId.ToString(CultureInfo.InvariantCulture)).Append("] ")
            .Append(OneLine(line.Message));
        if (line.Exception is not null)
        {
            text.Append(' ').Append(OneLine(line.Exception.ToString()));
        }

        return text.Append('\n').ToString();
    }

    public static string Json(LogLine line)
    {
        using var buffer = new MemoryStream(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("Timestamp", line.Time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
            json.WriteNumber("EventId", line.EventId);
            json.WriteString("LogLevel", line.Level.ToString());
            json.WriteString("Category", line.Category);
            json.WriteString("Message", line.Message);
            if (line.Exception is not null)
            {
                json.WriteString("Exception", line.Exception.ToString());
            }

            if (line.State is { } state)
            {
                json.WriteStartObject("State");
                json.WriteString("Message", line.Message);
                foreach (var (key, value) in state)
                {
                    WriteValue(json, key, value);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteValue(Utf8JsonWriter json, string key, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNull(key);
                break;
            case bool b:
                json.WriteBoolean(key, b);
                break;
            case int or long or short or byte or sbyte or ushort or uint:
                json.WriteNumber(key, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong u:
                json.WriteNumber(key, u);
                break;
            case double or float or decimal:
                json.WriteNumber(key, Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
            default:
                json.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static string ShortLevel(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };

    // A line per entry: a message or exception over several lines would split one entry into several for a reader.
    private static string OneLine(string text) => text.Contains('\n', StringComparison.Ordinal) ? text.Replace(Environment.NewLine, " ", StringComparison.Ordinal).Replace('\n', ' ') : text;
}
