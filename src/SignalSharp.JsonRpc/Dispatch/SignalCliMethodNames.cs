namespace SignalSharp.JsonRpc.Dispatch;

/// <summary>
/// Every method signal-cli's JSON-RPC has. One of these that SignalSharp cannot do yet is answered -32601 naming it,
/// never with a pretended success.
/// </summary>
public static class SignalCliMethodNames
{
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        "acceptCall", "addDevice", "addStickerPack", "block", "finishChangeNumber", "getAttachment", "getAvatar",
        "getSticker", "getUserStatus", "hangupCall", "joinGroup", "listCalls", "listContacts", "listDevices",
        "listGroups", "listIdentities", "listStickerPacks", "quitGroup", "receive", "rejectCall", "remoteDelete",
        "removeContact", "removeDevice", "removePin", "send", "sendAdminDelete", "sendContacts",
        "sendMessageRequestResponse", "sendPaymentNotification", "sendPinMessage", "sendPollCreate",
        "sendPollTerminate", "sendPollVote", "sendReaction", "sendReceipt", "sendStory", "sendSyncRequest",
        "sendTyping", "sendUnpinMessage", "setPin", "startCall", "startChangeNumber", "submitRateLimitChallenge",
        "trust", "unblock", "unregister", "updateAccount", "updateConfiguration", "updateContact", "updateDevice",
        "updateGroup", "updateProfile", "uploadStickerPack", "version",
        "listAccounts", "startLink", "finishLink", "register", "verify", "deleteLocalAccountData",
        "subscribeReceive", "unsubscribeReceive", "subscribeCallEvents", "unsubscribeCallEvents",
    };
}
