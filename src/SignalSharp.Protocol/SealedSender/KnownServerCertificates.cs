namespace SignalSharp.Protocol.SealedSender;

/// <summary>
/// Server certificates that a sender certificate may name by id (field 8) instead of embedding (field 5): the
/// same fixed list libsignal 0.100.0 carries (2 = staging, 3 = production, 0x7357C357 = a test certificate signed
/// by the public key of the all-zero private key). Data, not trust: a referenced certificate is still validated
/// against the caller's trust roots.
/// </summary>
internal static class KnownServerCertificates
{
    private static readonly Dictionary<uint, ServerCertificate> ById = new()
    {
        [2] = ServerCertificate.Deserialize(Convert.FromHexString(
            "0a25080212210539450d63ebd0752c0fd4038b9d07a916f5e174b756d409b5ca79f4c97400631e"
            + "124064c5a38b1e927497d3d4786b101a623ab34a7da3954fae126b04dba9d7a3604ed88cdc8550950f0d4a9134ceb7e19b94139151d2c3d6e1c81e9d1128aafca806")),
        [3] = ServerCertificate.Deserialize(Convert.FromHexString(
            "0a250803122105bc9d1d290be964810dfa7e94856480a3f7060d004c9762c24c575a1522353a5a"
            + "1240c11ec3c401eb0107ab38f8600e8720a63169e0e2eb8a3fae24f63099f85ea319c3c1c46d3454706ae2a679d1fee690a488adda98a2290b66c906bb60295ed781")),
        [0x7357C357] = ServerCertificate.Deserialize(Convert.FromHexString(
            "0a2908d786df9a07122105847c0d2c375234f365e660955187a3735a0f7613d1609d3a6a4d8c53aeaa5a22"
            + "1240e0b9ebacdfc3aa2827f7924b697784d1c25e44ca05dd433e1a38dc6382eb2730d419ca9a250b1be9d5a9463e61efd6781777a91b83c97b844d014206e2829785")),
    };

    public static ServerCertificate? Find(uint keyId) => ById.GetValueOrDefault(keyId);
}
