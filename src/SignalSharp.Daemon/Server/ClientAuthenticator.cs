using System.Buffers;
using System.Text;
using System.Text.Json;
using SignalSharp.Daemon.Json;

namespace SignalSharp.Daemon.Server;

/// <summary>
/// Checks a connection's first object for the daemon's <see cref="AuthToken"/> (<c>"authToken"</c>). The object
/// <c>{"command":"auth","authToken":…}</c> only authenticates and is answered with status 0; any other command that
/// carries the right token is then carried out as usual. Without the right token the object is answered with an
/// error, and so is every later one until the connection closes.
/// </summary>
internal sealed class ClientAuthenticator(AuthToken token)
{
    private const string Refusal = "authentication required: the connection's first object must carry the daemon's \"authToken\"";

    private readonly ResponseWriter responses = new();
    private readonly ArrayBufferWriter<byte> strict = new(256);

    public bool Authenticated { get; private set; }

    /// <summary>What to do with the object: answered here, carried out as a command, or refused.</summary>
    public AuthOutcome Check(ReadOnlyMemory<byte> raw, bool relaxed, IBufferWriter<byte> output)
    {
        using var document = Parse(raw, relaxed);
        var (command, reqId) = Echo(document);
        if (document?.RootElement is { ValueKind: JsonValueKind.Object } root
            && root.TryGetProperty("authToken"u8, out var shown) && shown.ValueKind == JsonValueKind.String
            && token.Matches(Encoding.UTF8.GetBytes(shown.GetString()!)))
        {
            Authenticated = true;
            if (command is { ValueKind: JsonValueKind.String } name && name.ValueEquals("auth"u8))
            {
                responses.WriteDone(output, "auth", reqId);
                return AuthOutcome.Answered;
            }

            return AuthOutcome.Proceed;
        }

        responses.WriteError(output, command, reqId, StatusCode.Unknown, Refusal);
        return AuthOutcome.Refused;
    }

    /// <summary>Answers an object that arrived after the refusal, on a connection about to close.</summary>
    public void Refuse(ReadOnlyMemory<byte> raw, bool relaxed, IBufferWriter<byte> output)
    {
        using var document = Parse(raw, relaxed);
        var (command, reqId) = Echo(document);
        responses.WriteError(output, command, reqId, StatusCode.Unknown, Refusal);
    }

    /// <summary>Answers a malformed object of a connection not yet authenticated.</summary>
    public void Refuse(IBufferWriter<byte> output) => responses.WriteError(output, null, null, StatusCode.Unknown, Refusal);

    private static (JsonElement? Command, JsonElement? ReqId) Echo(JsonDocument? document)
    {
        if (document?.RootElement is not { ValueKind: JsonValueKind.Object } root)
        {
            return (null, null);
        }

        return (root.TryGetProperty("command"u8, out var c) ? c : null, root.TryGetProperty("reqId"u8, out var r) ? r : null);
    }

    private JsonDocument? Parse(ReadOnlyMemory<byte> raw, bool relaxed)
    {
        var input = raw;
        if (relaxed)
        {
            strict.ResetWrittenCount();
            RelaxedJson.ToStrict(raw.Span, strict);
            input = strict.WrittenMemory;
        }

        try
        {
            return JsonDocument.Parse(input, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

internal enum AuthOutcome
{
    /// <summary>The object was only the authentication, and is answered.</summary>
    Answered,

    /// <summary>Authenticated: carry the object out as a command.</summary>
    Proceed,

    /// <summary>No valid token: the object was answered with an error; the connection closes.</summary>
    Refused,
}
