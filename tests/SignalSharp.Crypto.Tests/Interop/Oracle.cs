using System.Text.Json.Nodes;

namespace SignalSharp.Crypto.Tests.Interop;

/// <summary>Small helpers for building oracle arguments and reading results.</summary>
internal static class Oracle
{
    public static string B64(byte[] bytes) => Convert.ToBase64String(bytes);

    public static string B64(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes);

    public static byte[] Bytes(JsonNode? node) => Convert.FromBase64String(node!.GetValue<string>());

    public static byte[] Random(int length) => System.Security.Cryptography.RandomNumberGenerator.GetBytes(length);
}
