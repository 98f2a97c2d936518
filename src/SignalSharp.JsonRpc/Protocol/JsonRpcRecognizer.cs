using System.Text.Json;

namespace SignalSharp.JsonRpc.Protocol;

/// <summary>
/// Tells a JSON-RPC request from another protocol's object on a shared listener: strict JSON whose top-level members
/// include "jsonrpc" or "method" and not "command" (the seed protocol's key). Relaxed JSON (single quotes, unquoted
/// names) is never JSON-RPC.
/// </summary>
public static class JsonRpcRecognizer
{
    public static bool IsRequest(ReadOnlySpan<byte> firstObject)
    {
        var reader = new Utf8JsonReader(firstObject, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        var rpcMember = false;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("command"u8))
                {
                    return false;
                }

                rpcMember |= reader.ValueTextEquals("jsonrpc"u8) || reader.ValueTextEquals("method"u8);
                reader.Read();
                reader.TrySkip();
            }

            return rpcMember;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
