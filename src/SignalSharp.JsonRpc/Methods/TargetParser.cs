using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Protocol;

namespace SignalSharp.JsonRpc.Methods;

/// <summary>The recipients and groups of a send-family request, as signal-cli names them.</summary>
internal static class TargetParser
{
    /// <summary>Every recipient and group the request names (signal-cli's recipient/recipients and groupId/groupIds), at least one.</summary>
    public static IReadOnlyList<MessageTarget> Targets(JsonRpcParams parameters)
    {
        var targets = new List<MessageTarget>();
        foreach (var recipient in parameters.GetStringList("recipient"))
        {
            targets.Add(new RecipientTarget(Recipient(recipient)));
        }

        foreach (var group in parameters.GetStringList("groupId"))
        {
            targets.Add(new GroupTarget(Group(group)));
        }

        return targets.Count == 0
            ? throw new JsonRpcException(JsonRpcErrorCodes.UserError, "No recipients given")
            : targets;
    }

    public static RecipientAddress Recipient(string text) =>
        RecipientAddress.TryParse(text, out var address)
            ? address.Value
            : throw new JsonRpcException(JsonRpcErrorCodes.UserError, $"Invalid recipient '{text}': expected a phone number (+…) or a service id (UUID)");

    public static GroupId Group(string text) =>
        GroupId.TryParse(text, out var group)
            ? group
            : throw new JsonRpcException(JsonRpcErrorCodes.UserError, "Invalid group id: " + text);
}
