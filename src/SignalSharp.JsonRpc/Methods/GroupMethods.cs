using System.Text.Json;
using System.Text.Json.Nodes;
using SignalSharp.JsonRpc.Json;
using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Dispatch;
using SignalSharp.JsonRpc.Protocol;

namespace SignalSharp.JsonRpc.Methods;

/// <summary>
/// signal-cli's group management: <c>updateGroup</c> (without a groupId it creates the group), with signal-cli's
/// parameter names; created groups answer <c>{groupId, timestamp}</c>, changes <c>{timestamp}</c>; <c>quitGroup</c>, <c>joinGroup</c>.
/// </summary>
internal sealed class GroupMethods(ISignalAccount account)
{
    public async Task<MethodResult> UpdateGroupAsync(JsonRpcCall call)
    {
        var parameters = call.Params;
        var request = Parse(parameters);
        if (parameters.GetString("groupId") is not { } groupText)
        {
            var created = await account.CreateGroupAsync(request, call.CancellationToken).ConfigureAwait(false);
            return new MethodResult(new JsonObject { ["groupId"] = created.GroupId.ToBase64(), ["timestamp"] = created.Timestamp });
        }

        var changed = await account.UpdateGroupAsync(TargetParser.Group(groupText), request, call.CancellationToken).ConfigureAwait(false);
        return new MethodResult(new JsonObject { ["timestamp"] = changed.Timestamp });
    }

    /// <summary>quitGroup: <c>groupId</c>, <c>admin</c> (the new administrators when the account is the last one); answers <c>{timestamp}</c>.</summary>
    public async Task<MethodResult> QuitGroupAsync(JsonRpcCall call)
    {
        var groupId = TargetParser.Group(call.Params.GetString("groupId") ?? throw new JsonRpcException(JsonRpcErrorCodes.InvalidParams, "Missing parameter groupId"));
        var quit = await account.QuitGroupAsync(groupId, Recipients(call.Params, "admin"), call.CancellationToken).ConfigureAwait(false);
        return new MethodResult(new JsonObject { ["timestamp"] = quit.Timestamp });
    }

    /// <summary>
    /// joinGroup: <c>uri</c> (https://signal.group/#…); answers signal-cli's <c>{timestamp, results, groupId}</c>, with
    /// <c>onlyRequested: true</c> when the account asked to join and waits for an administrator.
    /// </summary>
    public async Task<MethodResult> JoinGroupAsync(JsonRpcCall call)
    {
        var uri = call.Params.GetString("uri") ?? throw new JsonRpcException(JsonRpcErrorCodes.InvalidParams, "Missing parameter uri");
        var joined = await account.JoinGroupAsync(uri, call.CancellationToken).ConfigureAwait(false);
        var answer = JsonSerializer.SerializeToNode(new JsonSendResponse(joined.Timestamp, [.. joined.Results.Select(r => SendMethods.MemberResult(r, joined.GroupId))]),
            JsonRpcJsonContext.Default.JsonSendResponse)!.AsObject();
        answer["groupId"] = joined.GroupId.ToBase64();
        if (joined.OnlyRequested)
        {
            answer["onlyRequested"] = true;
        }

        return new MethodResult(answer);
    }

    internal static GroupChangeRequest Parse(JsonRpcParams parameters)
    {
        var expiration = parameters.GetLong("expiration");
        if (expiration is < 0 or > int.MaxValue)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.InvalidParams, "Invalid value for parameter expiration: expected seconds");
        }

        return new GroupChangeRequest
        {
            Name = parameters.GetString("name"),
            Description = parameters.GetString("description"),
            ExpirationSeconds = expiration is { } seconds ? (int)seconds : null,
            AddMembers = Recipients(parameters, "member"),
            RemoveMembers = Recipients(parameters, "removeMember"),
            AddAdmins = Recipients(parameters, "admin"),
            RemoveAdmins = Recipients(parameters, "removeAdmin"),
            AddMembersPermission = Permission(parameters, "setPermissionAddMember"),
            EditDetailsPermission = Permission(parameters, "setPermissionEditDetails"),
            SendMessagesPermission = Permission(parameters, "setPermissionSendMessages"),
            Link = parameters.GetString("link") switch
            {
                null => null,
                "enabled" => GroupLinkState.Enabled,
                "enabled-with-approval" => GroupLinkState.EnabledWithApproval,
                "disabled" => GroupLinkState.Disabled,
                var other => throw new JsonRpcException(JsonRpcErrorCodes.UserError, "Invalid group link state: " + other),
            },
            ResetLink = parameters.GetBool("resetLink"),
            AvatarPath = parameters.GetString("avatar"),
        };
    }

    private static IReadOnlyList<RecipientAddress> Recipients(JsonRpcParams parameters, string name) =>
        [.. parameters.GetStringList(name).Select(TargetParser.Recipient)];

    private static GroupPermission? Permission(JsonRpcParams parameters, string name) => parameters.GetString(name) switch
    {
        null => null,
        "every-member" => GroupPermission.EveryMember,
        "only-admins" => GroupPermission.OnlyAdmins,
        var other => throw new JsonRpcException(JsonRpcErrorCodes.UserError, $"Invalid group permission for {name}: {other} (every-member or only-admins)"),
    };
}
