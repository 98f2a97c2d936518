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
    /// what is not given stays. signal-cli answers an empty result.
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
        };
        await account.People.UpdateProfileAsync(update, call.CancellationToken).ConfigureAwait(false);
        return new MethodResult(new JsonObject());
    }
}
