namespace SignalSharp.ZkGroup.Tests.Groups;

/// <summary>
/// The group server's notary signature over a group change, checked with the mock server's public params
/// (@signalapp/mock-server certs): the signature is libsignal's ServerSecretParams.signWithRandom(7×32, message),
/// made once with node; any other message, key or signature byte fails.
/// </summary>
public sealed class NotarySignatureTests
{
    private const string MockServerPublicParams =
        "ACK6MI2KosIo/Ne0RZJByuVUKryZrCnvS1NBCKBqaEVMBK8WjHp29d0uqYTrW1YsU1zNEzA9nVVQoi2+dumkG2XMsW9pgMcG7c0Ms63XPauVr/QTKZZUqqehXtdckDGsYvIWVHoslT8CotrCdF5fkVFJMZLBEfPbWhxVjtBlEkcRDg17pftwEK0Xz+e2S42R8HfnpfnP9WV5ifvyJ7BevyB4HXwo63P8gVllmjDhWDuI57F2dr1T/tZnE7+TxeueD5jDxjaN2+bgE3uGf2xCt+RG+dT/1nkyFpZk02jXj/tpTJWFHuLw9GBo3RHxH8jQnPxEJHxqUUGh1e1uSHwCJm2OMUXZDKNJfG4N7p6lPvTCzA0ZxePAw6D6EllhQzNUWSBC/j8/7eq8mIpiHtxLStUAOnCASzhRmkNB3WiF+r8MmD6bA1gbsmGSjFh7CCTHQGt8J+hoGnj5fxp+QEG9aEUuTJq8AzOWGZVvR3brURrB4U50Wv2gdao6SBZdCtlhFWDyAalGENlbwrJuA33Pt6rqCuBCk9/SMVJ055dVccB0ChRR/UbI42KofhXyURYrxuKfbUSFyq4sV+AbOi+/vQWCgq6IZT4v9Pdz+MWA0+GJcddlgzw8hUOULvWbU8KUBPCOPKV2lbY68ywJOkJu6HWGJRqeCk1d8Dt215D1hh9I+nSI0UNSI0R9fGtnPi/IQO3JANB+g8j5WYMlaiRR/Wj2oVXojkoE7aEL/WBpf0FrVDxnvEpT0/57J1Gs19qHGWzXqWxqc/P+VwyT7/4k7tvCs17cRn3wB/Qrk4Kt/FgayK69dgwv5AwAv6Kv/vShoFirVxPlIKeyUjESLK4GtXwImXSJUL3QCBmYfWt+1O3yUZIaFV404UibUjtx6j69EQ==";

    private const string Signature =
        "e70d41a30dcb41496855bfcb5757e74070b93ef500a54a91fa4968a65ef1620543c6890f7f02825a37fa5744c3ce341c0421191de6f932fa8c2d8317d0fe9404";

    private static readonly byte[] Message = "group change actions"u8.ToArray();

    [Fact]
    public void Libsignals_signature_verifies_and_nothing_else_does()
    {
        var parameters = ServerPublicParams.Deserialize(Convert.FromBase64String(MockServerPublicParams));
        var signature = Convert.FromHexString(Signature);
        Assert.True(parameters.VerifySignature(Message, signature));
        Assert.False(parameters.VerifySignature("group change action!"u8, signature));
        var flipped = (byte[])signature.Clone();
        flipped[40] ^= 1;
        Assert.False(parameters.VerifySignature(Message, flipped));
        Assert.False(parameters.VerifySignature(Message, signature.AsSpan(0, 63)));
    }
}
