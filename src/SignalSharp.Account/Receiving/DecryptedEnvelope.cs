namespace SignalSharp.Account.Receiving;

/// <summary>An envelope opened far enough to know its sender and the padded Content bytes.</summary>
internal sealed record DecryptedEnvelope(Guid SenderAci, string? SenderE164, uint SenderDevice, byte[] PaddedContent, bool Sealed);
