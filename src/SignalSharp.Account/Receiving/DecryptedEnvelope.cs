namespace SignalSharp.Account.Receiving;

/// <summary>
/// An envelope opened far enough to know its sender and the padded Content bytes. <paramref name="Authenticated"/>
/// is false for a plaintext-content envelope (type 8): no session opened it, so its sender is only what the server
/// says.
/// </summary>
internal sealed record DecryptedEnvelope(Guid SenderAci, string? SenderE164, uint SenderDevice, byte[] PaddedContent, bool Sealed, bool Authenticated = true)
{
    /// <summary>The sender's new identity key when this decryption replaced a different stored one, else null.</summary>
    public Protocol.IdentityKey? ReplacedIdentity { get; init; }
}
