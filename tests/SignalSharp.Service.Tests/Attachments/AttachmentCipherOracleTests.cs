using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Attachments;

namespace SignalSharp.Service.Tests.Attachments;

/// <summary>The cipher and padding against node: the mock server's encryptAttachment and a format-only decrypt.</summary>
public sealed class AttachmentCipherOracleTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    [Fact]
    public async Task Padding_buckets_equal_the_javascript_clients_formula()
    {
        var oracle = await fixture.GetAsync();
        var sizes = new List<long> { 0, 1, 2, 540, 541, 542, 543, 1000, 4096, 65_536, 1 << 20, 30 << 20, 100 << 20 };
        for (long size = 500; size < 120_000_000; size = size * 11 / 10 + 3)
        {
            sizes.Add(size);
        }

        var theirs = (await oracle.CallAsync("attachments.padSizes", new JsonObject { ["sizes"] = new JsonArray(sizes.Select(s => (JsonNode)s).ToArray()) }))!.AsArray();

        Assert.Equal(sizes.Select(s => s == 0 ? 541 : theirs[sizes.IndexOf(s)]!.GetValue<long>()), sizes.Select(AttachmentPadding.PaddedSize));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3000)]
    public async Task Node_decrypts_our_blob_to_the_same_bytes(int size)
    {
        var oracle = await fixture.GetAsync();
        var plaintext = RandomNumberGenerator.GetBytes(size);
        var (blob, key, digest) = await AttachmentCipherTests.EncryptAsync(plaintext);

        var result = (await oracle.CallAsync("attachments.decrypt", new JsonObject
        {
            ["blob"] = Convert.ToBase64String(blob), ["key"] = Convert.ToBase64String(key),
            ["digest"] = Convert.ToBase64String(digest), ["size"] = size,
        }))!;

        Assert.Equal(plaintext, Convert.FromBase64String(result["base64"]!.GetValue<string>()));
        Assert.Equal(AttachmentPadding.PaddedSize(size), result["paddedLength"]!.GetValue<long>());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3000)]
    public async Task We_decrypt_the_mock_servers_unpadded_blob_to_the_same_bytes(int size)
    {
        var oracle = await fixture.GetAsync();
        var plaintext = RandomNumberGenerator.GetBytes(size);
        var result = (await oracle.CallAsync("attachments.encryptReference", new JsonObject { ["plaintext"] = Convert.ToBase64String(plaintext) }))!;
        var blob = Convert.FromBase64String(result["blob"]!.GetValue<string>());
        var key = Convert.FromBase64String(result["key"]!.GetValue<string>());
        var digest = Convert.FromBase64String(result["digest"]!.GetValue<string>());

        Assert.Equal(plaintext, await AttachmentCipherTests.DecryptAsync(blob, key, digest, result["size"]!.GetValue<long>()));
        blob[blob.Length / 2] ^= 0x40;
        await Assert.ThrowsAsync<AttachmentIntegrityException>(() => AttachmentCipherTests.DecryptAsync(blob, key, digest, size));
    }
}
