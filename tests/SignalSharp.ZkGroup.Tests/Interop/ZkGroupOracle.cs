using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;

namespace SignalSharp.ZkGroup.Tests.Interop;

/// <summary>Thin typed calls onto interop/oracle/zkgroup.mjs.</summary>
internal static class ZkGroupOracle
{
    public static string B64(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes);

    public static async Task<byte[]> BytesAsync(this NodeOracle oracle, string op, params (string Key, byte[] Value)[] args)
    {
        var obj = new JsonObject();
        foreach (var (k, v) in args)
        {
            obj[k] = B64(v);
        }

        return await oracle.CallBytesAsync(op, obj);
    }

    public static async Task<JsonNode> NodeAsync(this NodeOracle oracle, string op, params (string Key, byte[] Value)[] args)
    {
        var obj = new JsonObject();
        foreach (var (k, v) in args)
        {
            obj[k] = B64(v);
        }

        return (await oracle.CallAsync(op, obj))!;
    }

    public static byte[] Bytes(this JsonNode node, string key) => Convert.FromBase64String(node[key]!.GetValue<string>());
}
