using Google.Protobuf;
using SignalSharp.Crypto;
using SignalSharp.Protocol.Proto.StorageKeys;

namespace SignalSharp.Protocol;

/// <summary>A one-time EC prekey: id and key pair. Stored as libsignal's PreKeyRecordStructure {1 id, 2 public, 3 private}.</summary>
public sealed record PreKeyRecord(uint Id, ECKeyPair KeyPair)
{
    public static PreKeyRecord Generate(uint id) => new(id, ECKeyPair.Generate());

    public byte[] Serialize() => new PreKeyRecordStructure
    {
        Id = Id,
        PublicKey = ByteString.CopyFrom(KeyPair.PublicKey.Serialize()),
        PrivateKey = ByteString.CopyFrom(KeyPair.PrivateKey.Serialize()),
    }.ToByteArray();

    public static PreKeyRecord Deserialize(ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        return InvalidKeyMaterialException.Wrap("prekey record", () =>
        {
            var structure = PreKeyRecordStructure.Parser.ParseFrom(copy);
            return new PreKeyRecord(structure.Id, new ECKeyPair(
                ECPublicKey.Deserialize(structure.PublicKey.Span),
                ECPrivateKey.Deserialize(structure.PrivateKey.Span)));
        });
    }
}
