using SignalSharp.Protocol.Messages;

namespace SignalSharp.Protocol.SealedSender;

/// <summary>
/// A sealed message fully opened: who sent it (from the validated certificate), and the decrypted content.
/// For <see cref="CiphertextMessageType.Plaintext"/> the plaintext is the PlaintextContent body (a padded Content).
/// </summary>
public sealed record SealedSenderDecryptionResult(
    string SenderUuid,
    string? SenderE164,
    uint SenderDeviceId,
    byte[] Plaintext,
    CiphertextMessageType MessageType,
    ContentHint ContentHint,
    byte[]? GroupId)
{
    public Guid? SenderAci => Guid.TryParseExact(SenderUuid, "D", out var aci) ? aci : null;

    public ProtocolAddress SenderAddress => new(SenderUuid, SenderDeviceId);
}
