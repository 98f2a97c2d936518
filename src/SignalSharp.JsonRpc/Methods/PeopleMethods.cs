using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Dispatch;
using SignalSharp.JsonRpc.Protocol;

namespace SignalSharp.JsonRpc.Methods;

/// <summary>signal-cli's methods for the account's own profile, its contacts, blocking and devices.</summary>
internal sealed class PeopleMethods(ISignalAccount account)
{
    /// <summary>
    /// updateProfile: givenName (or signal-cli's older name), familyName, about, aboutEmoji, avatar, removeAvatar;
    /// what is not given stays. rotateProfileKey (our extension, signal-cli has none) writes the profile under a new
    /// profile key (on a primary device also the server's access key for sealed sends; a linked device leaves that to
    /// the primary). signal-cli answers an empty result.
    /// </summary>
    public async Task<MethodResult> UpdateProfileAsync(JsonRpcCall call)
    {
        var parameters = call.Params;
        if (parameters.IsSet("mobileCoinAddress"))
        {
            throw new JsonRpcException(JsonRpcErrorCodes.UserError, "The updateProfile option mobileCoinAddress is not supported by SignalSharp");
        }

        var update = new ProfileUpdate(
            parameters.GetString("givenName") ?? parameters.GetString("name"),
            parameters.GetString("familyName"),
            parameters.GetString("about"),
            parameters.GetString("aboutEmoji"))
        {
            AvatarPath = parameters.GetString("avatar"),
            RemoveAvatar = parameters.GetBool("removeAvatar"),
            RotateProfileKey = parameters.GetBool("rotateProfileKey"),
        };
        await account.People.UpdateProfileAsync(update, call.CancellationToken).ConfigureAwait(false);
        return new MethodResult(new JsonObject());
    }

    /// <summary>block / unblock: recipients and groupIds (lists), at least one.</summary>
    public Task<MethodResult> BlockAsync(JsonRpcCall call) => SetBlockedAsync(call, blocked: true);

    public Task<MethodResult> UnblockAsync(JsonRpcCall call) => SetBlockedAsync(call, blocked: false);

    /// <summary>getAvatar: one of contact, profile (a recipient) or groupId; answers signal-cli's <c>{data}</c> (the image in base64).</summary>
    public async Task<MethodResult> GetAvatarAsync(JsonRpcCall call)
    {
        var parameters = call.Params;
        var given = new[] { "contact", "profile", "groupId" }.Where(parameters.IsSet).ToList();
        if (given.Count != 1)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.InvalidParams, "Exactly one of contact, profile or groupId is required");
        }

        AvatarSource source = given[0] switch
        {
            "contact" => new AvatarSource.Contact(TargetParser.Recipient(parameters.GetString("contact") ?? throw Missing("contact"))),
            "profile" => new AvatarSource.Profile(TargetParser.Recipient(parameters.GetString("profile") ?? throw Missing("profile"))),
            _ => new AvatarSource.Group(TargetParser.Group(parameters.GetString("groupId") ?? throw Missing("groupId"))),
        };
        var image = await account.People.GetAvatarAsync(source, call.CancellationToken).ConfigureAwait(false);
        return new MethodResult(new JsonObject { ["data"] = Convert.ToBase64String(image) });
    }

    /// <summary>removeContact: recipient, with forget also what the account learned of them (hide is taken as a removal).</summary>
    public async Task<MethodResult> RemoveContactAsync(JsonRpcCall call)
    {
        var recipient = TargetParser.Recipient(call.Params.GetString("recipient") ?? throw Missing("recipient"));
        await account.People.RemoveContactAsync(recipient, call.Params.GetBool("forget"), call.CancellationToken).ConfigureAwait(false);
        return new MethodResult(new JsonObject());
    }

    /// <summary>listDevices: signal-cli's JsonDevice list, {id, name, createdTimestamp, lastSeenTimestamp}.</summary>
    public async Task<MethodResult> ListDevicesAsync(JsonRpcCall call)
    {
        var devices = await account.People.ListDevicesAsync(call.CancellationToken).ConfigureAwait(false);
        var list = new JsonArray();
        foreach (var device in devices)
        {
            list.Add((JsonNode)new JsonObject
            {
                ["id"] = device.Id,
                ["name"] = device.Name,
                ["createdTimestamp"] = device.Created.ToUnixTimeMilliseconds(),
                ["lastSeenTimestamp"] = device.LastSeen.ToUnixTimeMilliseconds(),
            });
        }

        return new MethodResult(list);
    }

    /// <summary>removeDevice: deviceId.</summary>
    public async Task<MethodResult> RemoveDeviceAsync(JsonRpcCall call)
    {
        var id = call.Params.GetLong("deviceId") is { } given and > 0 and <= uint.MaxValue ? (uint)given : throw Missing("deviceId");
        await account.People.RemoveDeviceAsync(id, call.CancellationToken).ConfigureAwait(false);
        return new MethodResult(new JsonObject());
    }

    /// <summary>addDevice: uri, the sgnl://linkdevice URI the new device shows (a primary account links it). signal-cli answers an empty result.</summary>
    public async Task<MethodResult> AddDeviceAsync(JsonRpcCall call)
    {
        var uri = call.Params.GetString("uri") is { Length: > 0 } given ? given : throw Missing("uri");
        await account.People.AddDeviceAsync(uri, call.CancellationToken).ConfigureAwait(false);
        return new MethodResult(new JsonObject());
    }

    /// <summary>
    /// sendMessageRequestResponse: recipient and groupId (lists), type accept or delete; the other devices are told.
    /// signal-cli answers an empty result.
    /// </summary>
    public async Task<MethodResult> SendMessageRequestResponseAsync(JsonRpcCall call)
    {
        var response = call.Params.GetString("type")?.ToUpperInvariant() switch
        {
            "ACCEPT" => MessageRequestResponse.Accept,
            "DELETE" => MessageRequestResponse.Delete,
            null => throw Missing("type"),
            _ => throw new JsonRpcException(JsonRpcErrorCodes.InvalidParams, "Invalid type: expected accept or delete"),
        };
        if (call.Params.GetStringList("username").Count > 0)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.UserError, "Recipients by username are not supported by SignalSharp");
        }

        var people = call.Params.GetStringList("recipient").Select(TargetParser.Recipient).ToList();
        var groups = call.Params.GetStringList("groupId").Select(TargetParser.Group).ToList();
        if (people.Count == 0 && groups.Count == 0)
        {
            throw Missing("recipient");
        }

        await account.People.SendMessageRequestResponseAsync(people, groups, response, call.CancellationToken).ConfigureAwait(false);
        return new MethodResult(new JsonObject());
    }

    private async Task<MethodResult> SetBlockedAsync(JsonRpcCall call, bool blocked)
    {
        var people = call.Params.GetStringList("recipient").Select(TargetParser.Recipient).ToList();
        var groups = call.Params.GetStringList("groupId").Select(TargetParser.Group).ToList();
        if (people.Count == 0 && groups.Count == 0)
        {
            throw Missing("recipient");
        }

        await account.People.SetBlockedAsync(people, groups, blocked, call.CancellationToken).ConfigureAwait(false);
        return new MethodResult(new JsonObject());
    }

    private static JsonRpcException Missing(string name) => new(JsonRpcErrorCodes.InvalidParams, $"Missing parameter {name}");
}
