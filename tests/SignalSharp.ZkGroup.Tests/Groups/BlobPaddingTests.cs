using System.Security.Cryptography;
using SignalSharp.Crypto;
using SignalSharp.ZkGroup.Groups;

namespace SignalSharp.ZkGroup.Tests.Groups;

/// <summary>Other clients may pad blobs; decryption strips whatever padding length the prefix declares.</summary>
public sealed class BlobPaddingTests
{
    private static byte[] Seal(GroupSecretParams group, byte[] padded)
    {
        var nonce = RandomNumberGenerator.GetBytes(12);
        return [.. Aes256GcmSiv.Encrypt(group.BlobKey, nonce, padded, []), .. nonce, 0x00];
    }

    [Fact]
    public void Declared_padding_is_stripped()
    {
        var group = GroupSecretParams.GenerateWithRandom(RandomNumberGenerator.GetBytes(32));
        byte[] padded = [0, 0, 0, 3, 0x41, 0x42, 0, 0, 0];
        Assert.Equal([0x41, 0x42], new ClientZkGroupCipher(group).DecryptBlob(Seal(group, padded)));
    }

    [Fact]
    public void Padding_longer_than_the_content_is_rejected()
    {
        var group = GroupSecretParams.GenerateWithRandom(RandomNumberGenerator.GetBytes(32));
        byte[] padded = [0, 0, 0, 6, 0x41, 0x42, 0, 0, 0];
        Assert.Throws<ZkGroupVerificationException>(() => new ClientZkGroupCipher(group).DecryptBlob(Seal(group, padded)));
        Assert.Throws<ZkGroupVerificationException>(() => new ClientZkGroupCipher(group).DecryptBlob(Seal(group, [0, 0])));
    }
}
