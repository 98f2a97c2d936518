using SignalSharp.Service.Transport;

namespace SignalSharp.Service.Api;

/// <summary>
/// Body of <c>PUT /v1/accounts/attributes/</c> (Signal-Server's AccountAttributes). The server replaces what it keeps
/// of each field with what the body says, and a field left out counts as empty: the calling device's
/// <see cref="Name"/> and capabilities, and for the whole account the registration lock (left out: none), the
/// unidentified-access key, unrestricted unidentified access and discoverability (left out: discoverable). Only a
/// recovery password left out is kept. So a write must carry every value as it stands, not only the one that changed.
/// </summary>
/// <param name="UnidentifiedAccessKey">The 16-byte key derived from the account's profile key; sealed sends to the account must present it.</param>
public sealed record AccountAttributesWrite(uint RegistrationId, uint? PniRegistrationId, byte[] UnidentifiedAccessKey)
{
    /// <summary>True for a device that reads its messages over the chat socket (no push service).</summary>
    public bool FetchesMessages { get; init; } = true;

    /// <summary>The calling device's encrypted name (a DeviceName message), as the server lists it; null for none.</summary>
    public byte[]? Name { get; init; }

    public AccountCapabilities Capabilities { get; init; } = new();

    /// <summary>The registration lock token (64 hex characters); null: the account has none (the server clears any).</summary>
    public string? RegistrationLock { get; init; }

    public bool UnrestrictedUnidentifiedAccess { get; init; }

    public bool DiscoverableByPhoneNumber { get; init; } = true;
}

/// <summary>The account-attribute route of the chat service, on the account's authenticated connection.</summary>
public sealed class AccountAttributesApi(ChatConnection connection)
{
    private const string Route = "PUT /v1/accounts/attributes/";

    /// <summary>Replaces the account's attributes (and the calling device's) with <paramref name="attributes"/>.</summary>
    /// <exception cref="ServiceAuthenticationException">401/403: the connection is not the account's.</exception>
    /// <exception cref="UnexpectedResponseException">Another status: 422 when the server finds a field invalid.</exception>
    public async Task SetAsync(AccountAttributesWrite attributes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (attributes.UnidentifiedAccessKey.Length != 16)
        {
            throw new ArgumentException("an unidentified-access key is 16 bytes", nameof(attributes));
        }

        var request = WebSocketRequest.Json("PUT", "/v1/accounts/attributes/", attributes, ApiJsonContext.Default.AccountAttributesWrite);
        var response = await connection.SendAsync(request, cancellationToken).ConfigureAwait(false);
        ChatApi.EnsureSuccess(response, Route);
    }
}
