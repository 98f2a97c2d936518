using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SignalSharp.Daemon.Commands;

/// <summary>
/// Takes big attachments out of a command before it is parsed into a JsonDocument. The document's metadata is
/// rented at the size of the whole text (a 40 MiB command rents, and the shared pool then keeps, a 64 MiB array),
/// so for a large command each big base64Data value of dataMessage.attachments is decoded here, straight from the
/// command's bytes, and replaced in a small copy of the command by a marker string that <see cref="Base64Data"/>
/// resolves. The marker starts with an escaped NUL and a per-connection nonce: no valid base64 looks like it, and a
/// client cannot guess it. Input the reader rejects is left alone, so the parser reports it as before.
/// Per connection, one command at a time.
/// </summary>
internal sealed class LargeBase64Values
{
    /// <summary>Commands at least this large are worth a pass of their own.</summary>
    public const int CommandThreshold = 1 << 20;

    private const int ValueThreshold = 64 * 1024;

    private ArrayBufferWriter<byte> compact = new(4096);
    private readonly List<byte[]?> values = [];
    private readonly byte[] marker = Encoding.ASCII.GetBytes($"\\u0000{Random.Shared.NextInt64():x16}:");

    /// <summary>The command with its big attachment values replaced, or the command itself when none were.</summary>
    public ReadOnlyMemory<byte> Extract(ReadOnlyMemory<byte> command)
    {
        Clear();
        if (command.Length < CommandThreshold)
        {
            return command;
        }

        var text = command.Span;
        var copied = 0;
        try
        {
            var reader = new Utf8JsonReader(text, new JsonReaderOptions { AllowTrailingCommas = true, MaxDepth = 64 });
            var path = new string?[5];
            var takeNext = false;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    var depth = reader.CurrentDepth;
                    if (depth < path.Length)
                    {
                        path[depth] = reader.ValueTextEquals("dataMessage"u8) ? "dataMessage"
                            : reader.ValueTextEquals("attachments"u8) ? "attachments"
                            : reader.ValueTextEquals("base64Data"u8) ? "base64Data" : null;
                    }

                    // root.dataMessage.attachments[i].base64Data: property depths 1, 2 and 4 (3 is the array).
                    takeNext = depth == 4 && path[1] == "dataMessage" && path[2] == "attachments" && path[4] == "base64Data";
                    continue;
                }

                if (takeNext && reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && reader.ValueSpan.Length >= ValueThreshold)
                {
                    var start = (int)reader.TokenStartIndex;
                    compact.Write(text[copied..start]);
                    WriteMarker(values.Count);
                    values.Add(Base64Data.TryDecode(reader.ValueSpan, out var bytes) ? bytes : null);
                    copied = (int)reader.BytesConsumed;
                }

                takeNext = false;
            }
        }
        catch (JsonException)
        {
            Clear();
            return command;
        }

        if (values.Count == 0)
        {
            return command;
        }

        compact.Write(text[copied..]);
        return compact.WrittenMemory;
    }

    /// <summary>
    /// When <paramref name="rawText"/> (a string's text between its quotes) is one of this command's markers: true,
    /// with the decoded bytes, or null when that value was not valid base64.
    /// </summary>
    public bool TryResolve(ReadOnlySpan<byte> rawText, out byte[]? bytes)
    {
        bytes = null;
        if (values.Count == 0 || !rawText.StartsWith(marker)
            || !int.TryParse(rawText[marker.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || index >= values.Count)
        {
            return false;
        }

        bytes = values[index];
        return true;
    }

    /// <summary>Lets the decoded attachments go once their command is answered.</summary>
    public void Clear()
    {
        values.Clear();
        if (compact.Capacity > CommandThreshold)
        {
            compact = new ArrayBufferWriter<byte>(4096);
        }

        compact.ResetWrittenCount();
    }

    private void WriteMarker(int index)
    {
        compact.Write("\""u8);
        compact.Write(marker);
        var digits = compact.GetSpan(11);
        index.TryFormat(digits, out var written, provider: CultureInfo.InvariantCulture);
        compact.Advance(written);
        compact.Write("\""u8);
    }
}
