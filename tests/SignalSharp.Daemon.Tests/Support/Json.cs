using System.Text.Json;

namespace SignalSharp.Daemon.Tests.Support;

internal static class JsonAssert
{
    public static int Status(JsonElement response) => response.GetProperty("statusCode").GetInt32();

    public static void HasStatus(int expected, JsonElement response)
    {
        Assert.True(response.TryGetProperty("statusCode", out var status), $"no statusCode in {response}");
        Assert.True(expected == status.GetInt32(), $"expected status {expected}, got {response}");
        if (expected != 0)
        {
            Assert.True(response.TryGetProperty("errorMessage", out var message) && message.GetString()!.Length > 0, $"no errorMessage in {response}");
        }
    }

    public static string? ReqId(JsonElement response) =>
        response.TryGetProperty("reqId", out var id) ? id.GetRawText() : null;
}
