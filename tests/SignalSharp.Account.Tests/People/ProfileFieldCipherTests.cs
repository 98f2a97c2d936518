using System.Security.Cryptography;
using SignalSharp.Account.Profiles;

namespace SignalSharp.Account.Tests.People;

/// <summary>Profile fields are padded to Signal's size classes before AES-256-GCM, and read back without the padding.</summary>
public sealed class ProfileFieldCipherTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    [Theory]
    [InlineData("Ada", null, 53)]
    [InlineData("Ada", "Lovelace", 53)]
    [InlineData("A name far longer than the fifty-three bytes of the small size class", "Family", 257)]
    public void A_name_is_padded_to_its_size_class_and_reads_back_split_at_the_zero_byte(string given, string? family, int padded)
    {
        var ciphertext = ProfileFieldCipher.EncryptName(Key, given, family);

        Assert.Equal(12 + padded + 16, ciphertext.Length);
        Assert.Equal((given, family), ProfileFieldCipher.DecryptName(Key, ciphertext));
    }

    [Fact]
    public void About_and_emoji_have_their_own_size_classes()
    {
        Assert.Equal(12 + 128 + 16, ProfileFieldCipher.EncryptAbout(Key, "Counting engines").Length);
        Assert.Equal(12 + 254 + 16, ProfileFieldCipher.EncryptAbout(Key, new string('x', 200)).Length);
        Assert.Equal(12 + 32 + 16, ProfileFieldCipher.EncryptEmoji(Key, "🧮").Length);
        Assert.Equal("🧮", ProfileFieldCipher.DecryptText(Key, ProfileFieldCipher.EncryptEmoji(Key, "🧮")));
        Assert.Throws<ArgumentException>(() => ProfileFieldCipher.EncryptAbout(Key, new string('x', 513)));
    }

    [Fact]
    public void A_field_under_another_key_does_not_decrypt()
    {
        var ciphertext = ProfileFieldCipher.EncryptName(Key, "Ada", null);

        Assert.Null(ProfileFieldCipher.DecryptName(RandomNumberGenerator.GetBytes(32), ciphertext));
        Assert.Null(ProfileFieldCipher.DecryptText(Key, ciphertext.AsSpan(0, 20)));
    }
}
