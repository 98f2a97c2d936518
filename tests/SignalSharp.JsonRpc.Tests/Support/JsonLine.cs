using System.Text.Json.Nodes;

namespace SignalSharp.JsonRpc.Tests.Support;

internal static class JsonLine
{
    public static JsonObject Parse(string? line)
    {
        Assert.NotNull(line);
        return JsonNode.Parse(line)!.AsObject();
    }
}
