using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using Google.Protobuf;
using SignalSharp.Service.Api;
using SignalSharp.Service.Http;
using SignalSharp.Service.Proto.Storage;

namespace SignalSharp.Service.Storage;

/// <summary>The encrypted storage manifest: its version and the AES-GCM ciphertext of a ManifestRecord.</summary>
public sealed record StorageManifest(ulong Version, byte[] Value);

/// <summary>One encrypted storage item: its raw storage id and the AES-GCM ciphertext of a StorageRecord.</summary>
public sealed record StorageItem(byte[] Key, byte[] Value);

/// <summary>The storage service refused the credentials from <c>GET /v1/storage/auth</c> (HTTP 401 or 403).</summary>
public sealed class StorageAuthorizationException(string route, int status)
    : ServiceException($"{route}: the storage service refused the credentials ({status})")
{
    public int Status { get; } = status;
}

/// <summary>
/// Reads the account's storage service (HTTPS, under the profile's storage URL, Basic auth with the credentials of
/// <c>GET /v1/storage/auth</c>): reads the manifest and items, and writes a new manifest version with the items it
/// adds and removes (<c>PUT /v1/storage/</c>, which the server applies only on top of the version before it).
/// </summary>
public sealed class StorageServiceClient(ServiceHttpClient http)
{
    /// <summary>The most items one read asks for (the server's own cap is higher; small batches keep bodies small).</summary>
    public const int ReadBatch = 100;

    /// <summary>The current manifest, or null when the account has none yet (404).</summary>
    public async Task<StorageManifest?> GetManifestAsync(StorageCredentials credentials, CancellationToken cancellationToken = default)
    {
        var (status, body) = await SendAsync(credentials, HttpMethod.Get, "v1/storage/manifest", null, cancellationToken).ConfigureAwait(false);
        return status == 404 ? null : ParseManifest(Ensure("GET /v1/storage/manifest", status, body));
    }

    /// <summary>The manifest if it is newer than <paramref name="afterVersion"/>; null when it is not (204) or absent (404).</summary>
    public async Task<StorageManifest?> GetManifestIfNewerAsync(StorageCredentials credentials, ulong afterVersion, CancellationToken cancellationToken = default)
    {
        var path = string.Create(CultureInfo.InvariantCulture, $"v1/storage/manifest/version/{afterVersion}");
        var (status, body) = await SendAsync(credentials, HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        return status is 204 or 404 ? null : ParseManifest(Ensure("GET /" + path, status, body));
    }

    /// <summary><c>PUT /v1/storage/read</c> in batches: the items the server holds under <paramref name="keys"/>.</summary>
    public async Task<IReadOnlyList<StorageItem>> ReadItemsAsync(StorageCredentials credentials, IReadOnlyList<byte[]> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var items = new List<StorageItem>(keys.Count);
        for (var offset = 0; offset < keys.Count; offset += ReadBatch)
        {
            var operation = new ReadOperationMessage();
            foreach (var key in keys.Skip(offset).Take(ReadBatch))
            {
                operation.ReadKey.Add(ByteString.CopyFrom(key));
            }

            var (status, body) = await SendAsync(credentials, HttpMethod.Put, "v1/storage/read", operation.ToByteArray(), cancellationToken).ConfigureAwait(false);
            StorageItemsMessage parsed;
            try
            {
                parsed = StorageItemsMessage.Parser.ParseFrom(Ensure("PUT /v1/storage/read", status, body));
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new ServiceProtocolException("PUT /v1/storage/read: the answer is not StorageItems", e);
            }

            items.AddRange(parsed.Items.Select(i => new StorageItem(i.Key.ToByteArray(), i.Value.ToByteArray())));
        }

        return items;
    }

    /// <summary>
    /// <c>PUT /v1/storage/</c>: <paramref name="manifest"/> (whose version must be the current one plus one), the items
    /// it adds and the keys it drops. Null when written; the server's current manifest when another device wrote a
    /// newer version first (409), so that the caller reads again, merges and retries.
    /// </summary>
    public async Task<StorageManifest?> WriteAsync(StorageCredentials credentials, StorageManifest manifest, IReadOnlyList<StorageItem> inserts,
        IReadOnlyList<byte[]> deletes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(inserts);
        ArgumentNullException.ThrowIfNull(deletes);
        var operation = new WriteOperationMessage
        {
            Manifest = new StorageManifestMessage { Version = manifest.Version, Value = ByteString.CopyFrom(manifest.Value) },
        };
        operation.InsertItem.AddRange(inserts.Select(i => new StorageItemMessage { Key = ByteString.CopyFrom(i.Key), Value = ByteString.CopyFrom(i.Value) }));
        operation.DeleteKey.AddRange(deletes.Select(ByteString.CopyFrom));
        var (status, body) = await SendAsync(credentials, HttpMethod.Put, "v1/storage/", operation.ToByteArray(), cancellationToken).ConfigureAwait(false);
        if (status == 409)
        {
            return ParseManifest(body);
        }

        Ensure("PUT /v1/storage/", status, body);
        return null;
    }

    private async Task<(int Status, byte[] Body)> SendAsync(StorageCredentials credentials, HttpMethod method, string path, byte[]? content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        using var request = http.StorageRequest(method, path, credentials.Username, credentials.Password);
        if (content is not null)
        {
            request.Content = new ByteArrayContent(content);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        }

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return ((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
    }

    private static byte[] Ensure(string route, int status, byte[] body) => status switch
    {
        >= 200 and < 300 => body,
        401 or 403 => throw new StorageAuthorizationException(route, status),
        _ => throw new UnexpectedResponseException(route, status, Groups.GroupServerClient.ErrorText(body)),
    };

    private static StorageManifest ParseManifest(byte[] body)
    {
        try
        {
            var manifest = StorageManifestMessage.Parser.ParseFrom(body);
            return new StorageManifest(manifest.Version, manifest.Value.ToByteArray());
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ServiceProtocolException("storage manifest: the answer is not a StorageManifest", e);
        }
    }
}
