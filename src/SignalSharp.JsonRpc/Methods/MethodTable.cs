using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Dispatch;

namespace SignalSharp.JsonRpc.Methods;

/// <summary>The methods SignalSharp answers, by signal-cli's names.</summary>
internal static class MethodTable
{
    public static IReadOnlyDictionary<string, JsonRpcMethod> Create(ISignalAccount account, JsonRpcOptions options)
    {
        var info = new InfoMethods(options);
        var sending = new SendMethods(account);
        var receiving = new ReceiveMethods(account, options);
        var directory = new DirectoryMethods(account);
        var control = new ControlMethods(account);
        return new Dictionary<string, JsonRpcMethod>(StringComparer.Ordinal)
        {
            ["version"] = info.VersionAsync,
            ["listAccounts"] = info.ListAccountsAsync,
            ["send"] = sending.SendAsync,
            ["sendReaction"] = sending.SendReactionAsync,
            ["remoteDelete"] = control.RemoteDeleteAsync,
            ["sendTyping"] = control.SendTypingAsync,
            ["sendReceipt"] = control.SendReceiptAsync,
            ["updateContact"] = control.UpdateContactAsync,
            ["receive"] = receiving.ReceiveAsync,
            ["subscribeReceive"] = receiving.SubscribeAsync,
            ["unsubscribeReceive"] = receiving.UnsubscribeAsync,
            ["listGroups"] = directory.ListGroupsAsync,
            ["listContacts"] = directory.ListContactsAsync,
            ["listIdentities"] = directory.ListIdentitiesAsync,
            ["trust"] = directory.TrustAsync,
            ["sendSyncRequest"] = directory.SendSyncRequestAsync,
            ["getAttachment"] = receiving.GetAttachmentAsync,
        };
    }
}
