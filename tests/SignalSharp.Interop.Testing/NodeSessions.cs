using System.Text.Json.Nodes;
using SignalSharp.Crypto;
using SignalSharp.Protocol;
using SignalSharp.Protocol.Messages;

namespace SignalSharp.Interop.Testing;

/// <summary>
/// Typed access to interop/oracle/session.mjs: node parties running libsignal 0.100, for every test project that
/// needs a libsignal peer for 1:1 sessions (protocol tests over in-memory stores, store tests over SQLite).
/// </summary>
public sealed class NodeSessions(NodeOracle oracle)
{
    public NodeOracle Oracle => oracle;

    /// <summary>Creates a node party with its own stores; returns its identity key.</summary>
    public async Task<IdentityKey> NewPartyAsync(string id, ProtocolAddress address, IdentityKeyPair? identity = null)
    {
        var args = new JsonObject { ["id"] = id, ["name"] = address.Name, ["deviceId"] = address.DeviceId };
        if (identity is not null)
        {
            args["identityPrivate"] = Convert.ToBase64String(identity.PrivateKey.Serialize());
        }

        var result = await oracle.CallAsync("session.newParty", args);
        return IdentityKey.Deserialize(Bytes(result!["identityKey"]));
    }

    public async Task<(PreKeyBundle Bundle, JsonObject Json)> BundleAsync(string party, bool withOneTimePreKey = true)
    {
        var json = (JsonObject)(await oracle.CallAsync("session.bundle", new JsonObject { ["party"] = party, ["withOneTimePreKey"] = withOneTimePreKey }))!;
        return (ToBundle(json), json);
    }

    public Task ProcessBundleAsync(string party, ProtocolAddress remote, PreKeyBundle bundle) =>
        oracle.CallAsync("session.processBundle", new JsonObject { ["party"] = party, ["remote"] = Addr(remote), ["bundle"] = FromBundle(bundle) });

    public async Task<List<CiphertextMessage>> EncryptAsync(string party, ProtocolAddress remote, IEnumerable<byte[]> plaintexts)
    {
        var list = new JsonArray();
        foreach (var plaintext in plaintexts)
        {
            list.Add(Convert.ToBase64String(plaintext));
        }

        var result = (JsonArray)(await oracle.CallAsync("session.encrypt", new JsonObject { ["party"] = party, ["remote"] = Addr(remote), ["plaintexts"] = list }))!;
        return result.Select(m => ParseMessage(m!["type"]!.GetValue<int>(), Bytes(m["body"]))).ToList();
    }

    /// <summary>Node decrypts each message in order; a failure is reported per message (error code, text).</summary>
    public async Task<List<NodeDecryptResult>> DecryptAsync(string party, ProtocolAddress remote, IEnumerable<CiphertextMessage> messages) =>
        await DecryptRawAsync(party, remote, messages.Select(m => ((int)m.Type, m.Serialize())));

    /// <summary>Node decrypts one message, which must succeed; returns the plaintext.</summary>
    public async Task<byte[]> DecryptOneAsync(string party, ProtocolAddress remote, CiphertextMessage message)
    {
        var result = (await DecryptAsync(party, remote, [message]))[0];
        return result.Plaintext ?? throw new InvalidOperationException($"node could not decrypt: {result.Error}");
    }

    public async Task<List<NodeDecryptResult>> DecryptRawAsync(string party, ProtocolAddress remote, IEnumerable<(int Type, byte[] Body)> messages)
    {
        var list = new JsonArray();
        foreach (var (type, body) in messages)
        {
            list.Add(new JsonObject { ["type"] = type, ["body"] = Convert.ToBase64String(body) });
        }

        var result = (JsonArray)(await oracle.CallAsync("session.decrypt", new JsonObject { ["party"] = party, ["remote"] = Addr(remote), ["messages"] = list }))!;
        return result.Select(r => r!["ok"]!.GetValue<bool>()
            ? new NodeDecryptResult(Bytes(r["plaintext"]), null, null)
            : new NodeDecryptResult(null, r["code"]?.GetValue<int>(), r["error"]!.GetValue<string>())).ToList();
    }

    public async Task<byte[]?> RecordAsync(string party, ProtocolAddress remote)
    {
        var result = await oracle.CallAsync("session.record", new JsonObject { ["party"] = party, ["remote"] = Addr(remote) });
        return result is null ? null : Bytes(result);
    }

    public async Task<JsonObject> StoreLogAsync(string party) =>
        (JsonObject)(await oracle.CallAsync("session.storeLog", new JsonObject { ["party"] = party }))!;

    public Task TrustAsync(string party, ProtocolAddress remote, IdentityKey key) =>
        oracle.CallAsync("session.trust", new JsonObject { ["party"] = party, ["remote"] = Addr(remote), ["identityKey"] = Convert.ToBase64String(key.Serialize()) });

    public static CiphertextMessage ParseMessage(int type, byte[] body) => type switch
    {
        3 => PreKeySignalMessage.Deserialize(body),
        2 => SignalMessage.Deserialize(body),
        _ => throw new InvalidOperationException($"unexpected message type {type}"),
    };

    public static byte[] Bytes(JsonNode? node) => Convert.FromBase64String(node!.GetValue<string>());

    private static JsonObject Addr(ProtocolAddress address) => new() { ["name"] = address.Name, ["deviceId"] = address.DeviceId };

    private static PreKeyBundle ToBundle(JsonObject json) => new(
        json["registrationId"]!.GetValue<uint>(),
        json["deviceId"]!.GetValue<uint>(),
        json["preKeyId"]?.GetValue<uint>(),
        json["preKeyPublic"] is { } opk ? ECPublicKey.Deserialize(Bytes(opk)) : null,
        json["signedPreKeyId"]!.GetValue<uint>(),
        ECPublicKey.Deserialize(Bytes(json["signedPreKeyPublic"])),
        Bytes(json["signedPreKeySignature"]),
        IdentityKey.Deserialize(Bytes(json["identityKey"])),
        json["kyberPreKeyId"]!.GetValue<uint>(),
        KemPublicKey.Deserialize(Bytes(json["kyberPreKeyPublic"])),
        Bytes(json["kyberPreKeySignature"]));

    private static JsonObject FromBundle(PreKeyBundle bundle) => new()
    {
        ["registrationId"] = bundle.RegistrationId,
        ["deviceId"] = bundle.DeviceId,
        ["preKeyId"] = bundle.PreKeyId,
        ["preKeyPublic"] = bundle.PreKeyPublic is { } opk ? Convert.ToBase64String(opk.Serialize()) : null,
        ["signedPreKeyId"] = bundle.SignedPreKeyId,
        ["signedPreKeyPublic"] = Convert.ToBase64String(bundle.SignedPreKeyPublic.Serialize()),
        ["signedPreKeySignature"] = Convert.ToBase64String(bundle.SignedPreKeySignature),
        ["identityKey"] = Convert.ToBase64String(bundle.IdentityKey.Serialize()),
        ["kyberPreKeyId"] = bundle.KyberPreKeyId,
        ["kyberPreKeyPublic"] = Convert.ToBase64String(bundle.KyberPreKeyPublic.Serialize()),
        ["kyberPreKeySignature"] = Convert.ToBase64String(bundle.KyberPreKeySignature),
    };
}

/// <summary>One node decryption: the plaintext, or libsignal's error code (1 = DuplicatedMessage, 3 = UntrustedIdentity) and text.</summary>
public sealed record NodeDecryptResult(byte[]? Plaintext, int? Code, string? Error)
{
    public bool Ok => Plaintext is not null;
}
