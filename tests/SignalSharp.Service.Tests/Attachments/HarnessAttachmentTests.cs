using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Attachments;
using SignalSharp.Service.Tests.Transport;

namespace SignalSharp.Service.Tests.Attachments;

/// <summary>
/// Attachments the mock server's own side makes: blobs stored by the harness (server.storeAttachmentOnCdn with the
/// mock's encryptAttachment) that we download. (sendAttachment / waitForAttachmentMessage need a connected client
/// to talk to, so they are exercised by the linked-device tests, not here.)
/// </summary>
[Collection(MockServerCollection.Name)]
public sealed class HarnessAttachmentTests(MockServerFixture fixture)
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1 << 20)]
    public async Task A_blob_the_mock_server_stored_downloads_and_decrypts_byte_exactly(int size)
    {
        var mock = await fixture.GetAsync();
        using var file = TempFile.WithRandomBytes(size);
        var stored = (await mock.CommandAsync("storeAttachment", new JsonObject { ["plaintextPath"] = file.Path }))!;
        using var transfer = new AttachmentTransfer(MockProfile.For(mock));
        using var received = new MemoryStream();

        await transfer.DownloadAsync(PointerFrom(stored), received);

        Assert.Equal(file.Sha256Hex, Convert.ToHexStringLower(SHA256.HashData(received.ToArray())));
    }

    [Fact]
    public async Task A_corrupted_blob_from_the_mock_is_an_integrity_error()
    {
        var mock = await fixture.GetAsync();
        var stored = (await mock.CommandAsync("storeAttachment", new JsonObject
        {
            ["dataBase64"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(2000)), ["corrupt"] = true,
        }))!;
        using var transfer = new AttachmentTransfer(MockProfile.For(mock));
        using var received = new MemoryStream();

        await Assert.ThrowsAsync<AttachmentIntegrityException>(() => transfer.DownloadAsync(PointerFrom(stored), received));
        Assert.Equal(0, received.Length);
    }

    internal static AttachmentPointerData PointerFrom(JsonNode stored) => new()
    {
        CdnNumber = stored["cdnNumber"]!.GetValue<int>(),
        CdnKey = stored["cdnKey"]!.GetValue<string>(),
        Key = Convert.FromBase64String(stored["key"]!.GetValue<string>()),
        Digest = Convert.FromBase64String(stored["digest"]!.GetValue<string>()),
        Size = stored["size"]!.GetValue<long>(),
    };
}
