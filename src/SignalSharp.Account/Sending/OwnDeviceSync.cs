using Google.Protobuf;
using Microsoft.Extensions.Logging;
using SignalSharp.Account.Proto;
using SignalSharp.Account.Storage;
using SignalSharp.Service.Api;
using SignalSharp.Store;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.Sending;

/// <summary>Sends a sync message to the account's other devices, under the protocol gate (sessions change on the way).</summary>
internal sealed class OwnDeviceSync(ChatApi api, AccountDatabase db, AccountRecord record, SemaphoreSlim protocolGate, ILogger logger)
{
    public async Task SendAsync(SyncMessage sync, CancellationToken cancellationToken)
    {
        var content = new Content { SyncMessage = sync };
        await protocolGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var sender = new MessageSender(api, db.ProtocolStores(AccountIdentity.Aci), record.Aci, record.DeviceId, logger);
            await sender.SendAsync(record.Aci, content.ToByteArray(), (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            protocolGate.Release();
        }
    }
}
