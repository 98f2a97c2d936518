using SignalSharp.Account.Api;

namespace SignalSharp.Account.StorageService;

/// <summary>The storage service's manifest or one of its items did not decrypt or parse under the account's keys.</summary>
public sealed class StorageDecryptionException(string what, Exception? inner = null)
    : AccountException($"storage service: {what} did not decrypt", inner)
{
    public string What { get; } = what;
}
