using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Dispatch;

namespace SignalSharp.JsonRpc.Methods;

/// <summary>The methods SignalSharp answers, by signal-cli's names.</summary>
internal static class MethodTable
{
    /// <summary>The names every account's table answers.</summary>
    public static IReadOnlySet<string> Names { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "version", "listAccounts", "send", "sendReaction", "receive", "subscribeReceive", "unsubscribeReceive", "listGroups", "listContacts",
        "listIdentities", "trust", "sendSyncRequest", "getAttachment",
        "submitRateLimitChallenge", "updateGroup", "quitGroup", "joinGroup",
        "updateProfile", "block", "unblock", "removeContact",
        "listDevices", "removeDevice", "addDevice", "updateAccount", "sendContacts", "getUserStatus", "sendMessageRequestResponse",
        "remoteDelete", "sendTyping", "sendReceipt", "updateContact",
        "sendPollCreate", "sendPollVote", "sendPollTerminate", "addStickerPack", "listStickerPacks", "getAvatar",
    };

    public static IReadOnlyDictionary<string, JsonRpcMethod> Create(ISignalAccount account, JsonRpcOptions options)
    {
        var info = new InfoMethods(options, () => [options.Account]);
        var sending = new SendMethods(account);
        var receiving = new ReceiveMethods(account, options);
        var directory = new DirectoryMethods(account);
        var control = new ControlMethods(account);
        var groupAdmin = new GroupMethods(account);
        var people = new PeopleMethods(account);
        var standing = new AccountMethods(account);
        var polls = new PollMethods(account);
        var stickers = new StickerMethods(account);
        return new Dictionary<string, JsonRpcMethod>(StringComparer.Ordinal)
        {
            ["version"] = info.VersionAsync,
            ["listAccounts"] = info.ListAccountsAsync,
            ["send"] = sending.SendAsync,
            ["sendReaction"] = sending.SendReactionAsync,
            ["remoteDelete"] = control.RemoteDeleteAsync,
            ["sendPollCreate"] = polls.CreateAsync,
            ["sendPollVote"] = polls.VoteAsync,
            ["sendPollTerminate"] = polls.TerminateAsync,
            ["sendTyping"] = control.SendTypingAsync,
            ["sendReceipt"] = control.SendReceiptAsync,
            ["updateContact"] = control.UpdateContactAsync,
            ["receive"] = receiving.ReceiveAsync,
            ["subscribeReceive"] = ReceiveMethods.SubscribeAsync,
            ["unsubscribeReceive"] = ReceiveMethods.UnsubscribeAsync,
            ["listGroups"] = directory.ListGroupsAsync,
            ["listContacts"] = directory.ListContactsAsync,
            ["listIdentities"] = directory.ListIdentitiesAsync,
            ["trust"] = directory.TrustAsync,
            ["sendSyncRequest"] = directory.SendSyncRequestAsync,
            ["getAttachment"] = receiving.GetAttachmentAsync,
            ["submitRateLimitChallenge"] = control.SubmitRateLimitChallengeAsync,
            ["updateGroup"] = groupAdmin.UpdateGroupAsync,
            ["quitGroup"] = groupAdmin.QuitGroupAsync,
            ["joinGroup"] = groupAdmin.JoinGroupAsync,
            ["updateProfile"] = people.UpdateProfileAsync,
            ["block"] = people.BlockAsync,
            ["unblock"] = people.UnblockAsync,
            ["removeContact"] = people.RemoveContactAsync,
            ["getAvatar"] = people.GetAvatarAsync,
            ["listDevices"] = people.ListDevicesAsync,
            ["removeDevice"] = people.RemoveDeviceAsync,
            ["addDevice"] = people.AddDeviceAsync,
            ["sendMessageRequestResponse"] = people.SendMessageRequestResponseAsync,
            ["updateAccount"] = standing.UpdateAccountAsync,
            ["sendContacts"] = standing.SendContactsAsync,
            ["getUserStatus"] = standing.GetUserStatusAsync,
            ["addStickerPack"] = stickers.AddStickerPackAsync,
            ["listStickerPacks"] = stickers.ListStickerPacksAsync,
        };
    }

    /// <summary>
    /// What a multi-account front end answers without an account: the methods signal-cli runs across accounts.
    /// subscribeReceive and unsubscribeReceive act on the accounts the call addresses (all of them here); with
    /// <paramref name="provisioning"/>, startLink, finishLink, register and verify make new accounts.
    /// </summary>
    public static IReadOnlyDictionary<string, JsonRpcMethod> CreateAcrossAccounts(Func<IReadOnlyList<string>> numbers, JsonRpcOptions shared,
        IAccountProvisioning? provisioning)
    {
        var info = new InfoMethods(shared, numbers);
        var table = new Dictionary<string, JsonRpcMethod>(StringComparer.Ordinal)
        {
            ["version"] = info.VersionAsync,
            ["listAccounts"] = info.ListAccountsAsync,
            ["subscribeReceive"] = ReceiveMethods.SubscribeAsync,
            ["unsubscribeReceive"] = ReceiveMethods.UnsubscribeAsync,
        };
        if (provisioning is not null)
        {
            var making = new ProvisioningMethods(provisioning);
            table["startLink"] = making.StartLinkAsync;
            table["finishLink"] = making.FinishLinkAsync;
            table["register"] = making.RegisterAsync;
            table["verify"] = making.VerifyAsync;
        }

        return table;
    }

    /// <summary>Methods whose <c>"account"</c> names an account that is not served yet: the one they make.</summary>
    public static IReadOnlySet<string> MakingAccounts { get; } = new HashSet<string>(StringComparer.Ordinal) { "register", "verify" };
}
