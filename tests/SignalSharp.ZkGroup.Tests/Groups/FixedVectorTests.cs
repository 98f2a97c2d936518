using SignalSharp.ZkGroup.Groups;

namespace SignalSharp.ZkGroup.Tests.Groups;

/// <summary>
/// Fixed values recorded from libsignal 0.100.0 (node) for libsignal's own test inputs (TEST_ARRAY_32_1 master key,
/// TEST_ARRAY_16 / TEST_ARRAY_16_1 ids, TEST_ARRAY_32_2 profile key and blob randomness), so these checks run without
/// the oracle.
/// </summary>
public sealed class FixedVectorTests
{
    private static byte[] Run(int start, int length) => [.. Enumerable.Range(start, length).Select(i => (byte)i)];

    private static readonly GroupSecretParams Group = GroupSecretParams.DeriveFromMasterKey(new GroupMasterKey(Run(0x64, 32)));

    [Fact]
    public void Group_identifier_and_public_params()
    {
        Assert.Equal("84e256730548f8ba09069b223eccc133f599f9827edc7084f8921e4a70cd9e4c", Convert.ToHexStringLower(Group.GroupIdentifier));
        Assert.Equal(
            "0084e256730548f8ba09069b223eccc133f599f9827edc7084f8921e4a70cd9e4cd8c075c601cb280cc4f2c9c52c075fc5336c63fe27b935db3bcce18e01c90833ce1b7ad669a5db8b4addef7862f7ffbaab050226fd7cd776758a17fc95999c56",
            Convert.ToHexStringLower(Group.PublicParams.Serialize()));
    }

    [Theory]
    [InlineData(false, "00765de9df4cfa5487f360e29e99343e91811baec331c4680985e608ca5d408e21725c6aa1b61d5a8b48d75f4aaa9a3cbe88d3e0f1a54319081f77c72c8f525474")]
    [InlineData(true, "00de749a0fef17b06bbce74ca5d0f7a0c45f443a1901f1e3e016d3548e50a2fa19ce6b27ac467ed9c9f5018b2a4456b6c2b1a91454422fdd473c9636a8459e1c17")]
    public void Service_id_ciphertexts(bool pni, string expected)
    {
        var id = pni ? ZkServiceId.Pni(Run(0x64, 16)) : ZkServiceId.Aci(Run(0, 16));
        var cipher = new ClientZkGroupCipher(Group);
        Assert.Equal(expected, Convert.ToHexStringLower(cipher.EncryptServiceId(id).Serialize()));
        Assert.Equal(id, cipher.DecryptServiceId(UuidCiphertext.Deserialize(Convert.FromHexString(expected))));
    }

    [Fact]
    public void Profile_key_ciphertext()
    {
        const string expected = "007cbf06179c539f35192edea05ccba3810a63a17826a091dd43ec58a3f6983e05f4256adbe8cb2e5271a87532247d654c2df3eb495c91249475fe01459e96b247";
        var cipher = new ClientZkGroupCipher(Group);
        var aci = ZkServiceId.Aci(Run(0, 16));
        Assert.Equal(expected, Convert.ToHexStringLower(cipher.EncryptProfileKey(Run(0xc8, 32), aci).Serialize()));
        Assert.Equal(Run(0xc8, 32), cipher.DecryptProfileKey(ProfileKeyCiphertext.Deserialize(Convert.FromHexString(expected)), aci));
    }

    [Fact]
    public void Padded_blob()
    {
        const string expected = "dd4d032ca9bb75a4a78541b90cb4e95743f3b0dabfc7e11101b098e34f6cf6513940a04c1f20a302692afdc7087f10196000";
        byte[] plaintext = Convert.FromHexString("0102030405060708111213141516171819");
        var cipher = new ClientZkGroupCipher(Group);
        Assert.Equal(expected, Convert.ToHexStringLower(cipher.EncryptBlobWithRandom(Run(0xc8, 32), plaintext)));
        Assert.Equal(plaintext, cipher.DecryptBlob(Convert.FromHexString(expected)));
    }
}
