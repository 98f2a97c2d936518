using SignalSharp.Protocol.SenderKeys;

namespace SignalSharp.Protocol.Storage;

/// <summary>Sender-key records, one per (sender address, distribution id). Implementations persist the bytes of
/// <see cref="SenderKeyRecord.Serialize"/>.</summary>
public interface ISenderKeyStore
{
    Task StoreSenderKeyAsync(ProtocolAddress sender, Guid distributionId, SenderKeyRecord record, CancellationToken cancellationToken = default);

    Task<SenderKeyRecord?> LoadSenderKeyAsync(ProtocolAddress sender, Guid distributionId, CancellationToken cancellationToken = default);
}
