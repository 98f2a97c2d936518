using System.Text.Json.Nodes;

namespace SignalSharp.Protocol.Tests.Keys;

internal static class Oracle
{
    public static string B64(byte[] bytes) => Convert.ToBase64String(bytes);

    public static byte[] Bytes(JsonNode? node) => Convert.FromBase64String(node!.GetValue<string>());
}
