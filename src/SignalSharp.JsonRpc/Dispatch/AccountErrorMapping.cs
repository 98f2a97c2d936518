using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Protocol;

namespace SignalSharp.JsonRpc.Dispatch;

/// <summary>The one place where the account's failures become signal-cli's error codes.</summary>
public static class AccountErrorMapping
{
    public static JsonRpcError ToError(AccountException exception) => exception switch
    {
        GroupNotFoundException or NotAGroupMemberException =>
            new JsonRpcError(JsonRpcErrorCodes.UserError, "Failed to send to group: " + exception.Message),
        GroupChangeFailedException or SendFailedException or AccountStoppedException or StickerPackUnavailableException => new JsonRpcError(JsonRpcErrorCodes.IoError, exception.Message),
        _ => new JsonRpcError(JsonRpcErrorCodes.UserError, exception.Message),
    };
}
