using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SignalSharp.JsonRpc.Protocol;

/// <summary>
/// Writes answers and notifications as single lines in signal-cli's member order: jsonrpc, then result or error
/// (never both), then id; an error's data is written even when null; a notification has no id.
/// </summary>
public static class JsonRpcWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        // Non-ASCII text (names, emoji) stays readable as signal-cli writes it; the line stays valid JSON.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>A server-sent event: <c>event:NAME</c>, the payload as one data line, a blank line (signal-cli's SSE framing).</summary>
    public static byte[] Event(string name, JsonNode payload)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write(System.Text.Encoding.UTF8.GetBytes("event:" + name + "\ndata:"));
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            payload.WriteTo(writer);
        }

        buffer.Write("\n\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Response(JsonRpcResponse response) => Line(writer => WriteResponse(writer, response));

    public static byte[] Batch(IReadOnlyList<JsonRpcResponse> responses) => Line(writer =>
    {
        writer.WriteStartArray();
        foreach (var response in responses)
        {
            WriteResponse(writer, response);
        }

        writer.WriteEndArray();
    });

    public static byte[] Notification(string method, JsonNode parameters) => Line(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("jsonrpc", "2.0");
        writer.WriteString("method", method);
        writer.WritePropertyName("params");
        parameters.WriteTo(writer);
        writer.WriteEndObject();
    });

    private static void WriteResponse(Utf8JsonWriter writer, JsonRpcResponse response)
    {
        writer.WriteStartObject();
        writer.WriteString("jsonrpc", "2.0");
        if (response.Error is { } error)
        {
            writer.WritePropertyName("error");
            writer.WriteStartObject();
            writer.WriteNumber("code", error.Code);
            writer.WriteString("message", error.Message);
            writer.WritePropertyName("data");
            WriteNode(writer, error.Data);
            writer.WriteEndObject();
        }
        else
        {
            writer.WritePropertyName("result");
            WriteNode(writer, response.Result ?? new JsonObject());
        }

        writer.WritePropertyName("id");
        WriteNode(writer, response.Id);
        writer.WriteEndObject();
    }

    private static void WriteNode(Utf8JsonWriter writer, JsonNode? node)
    {
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer);
        }
    }

    private static byte[] Line(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }
}
