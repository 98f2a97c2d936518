using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Google.Protobuf;
using SignalSharp.Account.StorageService;
using SignalSharp.Account.Proto.Storage;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Storage;

namespace SignalSharp.Account.Tests.StorageService;

/// <summary>
/// The storage service's key schedule and AEAD against Signal's reference code (the mock server's storage helpers on
/// libsignal's HKDF): what node seals, C# opens; what C# seals, node opens.
/// </summary>
public sealed class StorageCryptoOracleTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Storage_and_item_keys_match_node(bool withRecordIkm)
    {
        var oracle = await fixture.GetAsync();
        for (var i = 0; i < 3; i++)
        {
            var masterKey = RandomNumberGenerator.GetBytes(32);
            var itemId = RandomNumberGenerator.GetBytes(16);
            var recordIkm = withRecordIkm ? RandomNumberGenerator.GetBytes(32) : [];
            var args = new JsonObject { ["masterKey"] = B64(masterKey), ["itemId"] = B64(itemId) };
            if (withRecordIkm)
            {
                args["recordIkm"] = B64(recordIkm);
            }

            var node = (await oracle.CallAsync("storage.keys", args))!;
            var storageKey = StorageCrypto.StorageKey(masterKey);
            Assert.Equal(node["storageKey"]!.GetValue<string>(), B64(storageKey));
            Assert.Equal(node["itemKey"]!.GetValue<string>(), B64(StorageCrypto.ItemKey(storageKey, recordIkm, itemId)));
        }
    }

    [Fact]
    public async Task Master_key_from_the_account_entropy_pool_matches_node()
    {
        var oracle = await fixture.GetAsync();
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        var pool = new string([.. Enumerable.Range(0, 64).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)])]);
        var node = await oracle.CallBytesAsync("storage.masterKeyFromEntropyPool", new JsonObject { ["accountEntropyPool"] = pool });
        Assert.Equal(node, StorageCrypto.MasterKeyFromEntropyPool(pool));
    }

    [Fact]
    public async Task A_manifest_node_sealed_opens_and_a_tampered_one_does_not()
    {
        var oracle = await fixture.GetAsync();
        var masterKey = RandomNumberGenerator.GetBytes(32);
        var recordIkm = RandomNumberGenerator.GetBytes(32);
        var ids = Enumerable.Range(0, 3).Select(_ => RandomNumberGenerator.GetBytes(16)).ToList();
        var node = (await oracle.CallAsync("storage.sealManifest", new JsonObject
        {
            ["masterKey"] = B64(masterKey),
            ["version"] = 7,
            ["recordIkm"] = B64(recordIkm),
            ["identifiers"] = new JsonArray([.. ids.Select((id, i) => (JsonNode)new JsonObject { ["raw"] = B64(id), ["type"] = i + 1 })]),
        }))!;
        var manifest = new StorageManifest(ulong.Parse(node["version"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
            Convert.FromBase64String(node["value"]!.GetValue<string>()));

        var record = StorageReader.DecryptManifest(StorageCrypto.StorageKey(masterKey), manifest);
        Assert.Equal(7ul, record.Version);
        Assert.Equal(recordIkm, record.RecordIkm.ToByteArray());
        Assert.Equal(ids.Select(B64), record.Identifiers.Select(i => B64(i.Raw.ToByteArray())));
        Assert.Equal([1u, 2u, 3u], record.Identifiers.Select(i => i.Type));

        // The version outside is not authenticated, but the key is per version: a replayed older manifest fails.
        Assert.Throws<StorageDecryptionException>(() => StorageReader.DecryptManifest(StorageCrypto.StorageKey(masterKey), manifest with { Version = 6 }));
        var flipped = manifest.Value.ToArray();
        flipped[20] ^= 1;
        Assert.Throws<StorageDecryptionException>(() => StorageReader.DecryptManifest(StorageCrypto.StorageKey(masterKey), manifest with { Value = flipped }));
        Assert.Throws<StorageDecryptionException>(() => StorageReader.DecryptManifest(StorageCrypto.StorageKey(RandomNumberGenerator.GetBytes(32)), manifest));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Items_node_sealed_open_to_their_records(bool withRecordIkm)
    {
        var oracle = await fixture.GetAsync();
        var masterKey = RandomNumberGenerator.GetBytes(32);
        var recordIkm = withRecordIkm ? RandomNumberGenerator.GetBytes(32) : [];
        var storageKey = StorageCrypto.StorageKey(masterKey);

        var groupMasterKey = RandomNumberGenerator.GetBytes(32);
        var groupItemId = RandomNumberGenerator.GetBytes(16);
        var groupArgs = new JsonObject { ["masterKey"] = B64(masterKey), ["itemId"] = B64(groupItemId), ["groupMasterKey"] = B64(groupMasterKey) };
        var aci = Guid.NewGuid();
        var profileKey = RandomNumberGenerator.GetBytes(32);
        var contactItemId = RandomNumberGenerator.GetBytes(16);
        var contactArgs = new JsonObject
        {
            ["masterKey"] = B64(masterKey), ["itemId"] = B64(contactItemId),
            ["contact"] = new JsonObject { ["aci"] = aci.ToString(), ["e164"] = "+15550001111", ["profileKey"] = B64(profileKey) },
        };
        if (withRecordIkm)
        {
            groupArgs["recordIkm"] = B64(recordIkm);
            contactArgs["recordIkm"] = B64(recordIkm);
        }

        var groupItem = new StorageItem(groupItemId, await oracle.CallBytesAsync("storage.sealItem", groupArgs));
        var group = StorageReader.DecryptItem(storageKey, recordIkm, groupItem);
        Assert.Equal(StorageRecordMessage.RecordOneofCase.GroupV2, group.RecordCase);
        Assert.Equal(groupMasterKey, group.GroupV2.MasterKey.ToByteArray());
        Assert.True(group.GroupV2.Whitelisted);

        var contactItem = new StorageItem(contactItemId, await oracle.CallBytesAsync("storage.sealItem", contactArgs));
        var contact = StorageReader.DecryptItem(storageKey, recordIkm, contactItem);
        Assert.Equal(StorageRecordMessage.RecordOneofCase.Contact, contact.RecordCase);
        Assert.Equal(aci, new Guid(contact.Contact.AciBinary.Span, bigEndian: true));
        Assert.Equal("+15550001111", contact.Contact.E164);
        Assert.Equal(profileKey, contact.Contact.ProfileKey.ToByteArray());

        // An item's key binds its id: the same ciphertext under another id does not open.
        Assert.Throws<StorageDecryptionException>(() => StorageReader.DecryptItem(storageKey, recordIkm, groupItem with { Key = contactItemId }));
    }

    [Fact]
    public async Task An_item_sealed_here_opens_in_node()
    {
        var oracle = await fixture.GetAsync();
        var masterKey = RandomNumberGenerator.GetBytes(32);
        var recordIkm = RandomNumberGenerator.GetBytes(32);
        var itemId = RandomNumberGenerator.GetBytes(16);
        var groupMasterKey = RandomNumberGenerator.GetBytes(32);
        var record = new StorageRecordMessage { GroupV2 = new GroupV2RecordMessage { MasterKey = ByteString.CopyFrom(groupMasterKey) } };
        var sealedItem = StorageCrypto.Encrypt(StorageCrypto.ItemKey(StorageCrypto.StorageKey(masterKey), recordIkm, itemId), record.ToByteArray());

        var opened = (await oracle.CallAsync("storage.openItem", new JsonObject
        {
            ["masterKey"] = B64(masterKey), ["itemId"] = B64(itemId), ["recordIkm"] = B64(recordIkm), ["value"] = B64(sealedItem),
        }))!;
        Assert.Equal(B64(groupMasterKey), opened["groupMasterKey"]!.GetValue<string>());
    }
}
