using SignalSharp.Account.Api;
namespace SignalSharp.Account.Groups;

/// <summary>The account cannot read groups: it holds no master key, no PNI, or the server gave no usable credential.</summary>
public sealed class GroupLearningUnavailableException(string reason)
    : AccountException("groups cannot be learned: " + reason);

/// <summary>A group state from the server did not decrypt under the group's master key (wrong key or corrupt state).</summary>
public sealed class GroupStateDecryptionException(string what, Exception? inner = null)
    : AccountException($"group state: {what} did not decrypt", inner);
