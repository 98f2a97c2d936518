using System.Text.Json.Nodes;
using SignalSharp.Crypto;
using SignalSharp.Interop.Testing;

namespace SignalSharp.Protocol.Tests.SenderKeys;

/// <summary>A device living in the node oracle (libsignal with its own in-memory stores), seen from C#.</summary>
internal sealed class NodeMember
{
    private NodeMember(NodeOracle oracle, string id, ProtocolAddress address, ECPublicKey identityKey, ECPrivateKey identityPrivate, uint registrationId)
    {
        Oracle = oracle;
        Id = id;
        Address = address;
        IdentityKey = identityKey;
        IdentityPrivate = identityPrivate;
        RegistrationId = registrationId;
    }

    public NodeOracle Oracle { get; }

    public string Id { get; }

    public ProtocolAddress Address { get; }

    public ECPublicKey IdentityKey { get; }

    public ECPrivateKey IdentityPrivate { get; }

    public uint RegistrationId { get; }

    public static async Task<NodeMember> CreateAsync(NodeOracle oracle, ProtocolAddress address, ECPrivateKey? identity = null, uint? registrationId = null)
    {
        var id = $"{address.Name}.{address.DeviceId}.{Guid.NewGuid():N}";
        var args = new JsonObject { ["id"] = id, ["name"] = address.Name, ["device"] = address.DeviceId };
        if (identity is not null)
        {
            args["identityPrivate"] = B64(identity.Serialize());
        }

        if (registrationId is not null)
        {
            args["registrationId"] = registrationId.Value;
        }

        var result = (await oracle.CallAsync("sealed.member.new", args))!;
        return new NodeMember(
            oracle,
            id,
            address,
            ECPublicKey.Deserialize(Bytes(result["identityKey"])),
            ECPrivateKey.Deserialize(Bytes(result["identityPrivate"])),
            result["registrationId"]!.GetValue<uint>());
    }

    public Task<JsonNode?> CallAsync(string op, JsonObject args)
    {
        args["id"] = Id;
        return Oracle.CallAsync(op, args);
    }

    public async Task<byte[]> CallBytesAsync(string op, JsonObject args)
    {
        args["id"] = Id;
        return await Oracle.CallBytesAsync(op, args);
    }

    public JsonObject Call(string op, JsonObject args)
    {
        args["id"] = Id;
        return new JsonObject { ["op"] = op, ["args"] = args };
    }

    public Task TrustAsync(ProtocolAddress address, ECPublicKey identityKey) =>
        CallAsync("sealed.member.trust", new JsonObject { ["address"] = Json(address), ["identityKey"] = B64(identityKey.Serialize()) });

    public static JsonObject Json(ProtocolAddress address) => new() { ["name"] = address.Name, ["device"] = address.DeviceId };

    public static string B64(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes);

    public static byte[] Bytes(JsonNode? node) => Convert.FromBase64String(node!.GetValue<string>());
}
