using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Attachments;
using SignalSharp.Service.Http;
using SignalSharp.Service.Tests.Transport;
using Xunit.Abstractions;

namespace SignalSharp.Service.Tests.Attachments;

/// <summary>
/// Upload and download against Signal's mock server, with node on the other end: what we upload, node downloads and
/// decrypts; what node encrypts (the mock's encryptAttachment) and uploads, we download and decrypt.
/// </summary>
[Collection(MockServerCollection.Name)]
public sealed class AttachmentTransferMockTests(MockServerFixture mockFixture, NodeOracleFixture oracleFixture, ITestOutputHelper output)
    : IClassFixture<NodeOracleFixture>
{
    private static readonly AttachmentTransferOptions FastRetries = new() { RetryBackoff = new(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50)) };

    public static TheoryData<int> Sizes => [0, 1, 1 << 20, 30 << 20];

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task What_we_upload_node_downloads_and_decrypts_byte_exactly(int size)
    {
        var mock = await mockFixture.GetAsync();
        var oracle = await oracleFixture.GetAsync();
        using var file = TempFile.WithRandomBytes(size);
        var profile = MockProfile.For(mock);
        using var forms = new GrpcUploadFormSource(profile);
        using var transfer = new AttachmentTransfer(profile, forms, FastRetries);

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var pointer = await transfer.UploadFileAsync(file.Path, "data.bin");
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        output.WriteLine($"upload of {size} bytes allocated {allocated / 1024} KiB in this process");

        Assert.Equal(3, pointer.CdnNumber);
        Assert.Equal(size, pointer.Size);
        Assert.Equal("application/octet-stream", pointer.ContentType);
        Assert.Equal("data.bin", pointer.FileName);
        Assert.InRange((long)pointer.UploadTimestamp, DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var result = (await oracle.CallAsync("attachments.downloadAndDecrypt", new JsonObject
        {
            ["origin"] = mock.Origin, ["caCertPath"] = mock.CaCertificatePath, ["path"] = "/cdn3/" + pointer.CdnPath,
            ["key"] = Convert.ToBase64String(pointer.Key), ["digest"] = Convert.ToBase64String(pointer.Digest), ["size"] = size,
        }))!;

        Assert.Equal(file.Sha256Hex, result["sha256"]!.GetValue<string>());
        Assert.Equal(size, result["length"]!.GetValue<long>());
        Assert.Equal(AttachmentPadding.CiphertextLength(size), result["blobLength"]!.GetValue<long>());
        if (size >= 1 << 20)
        {
            // Streaming: the upload must not have materialised the file or its ciphertext in this process.
            Assert.True(allocated < size / 2 + (4 << 20), $"allocated {allocated} bytes for a {size}-byte upload");
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task What_node_encrypts_and_uploads_we_download_and_decrypt_byte_exactly(int size)
    {
        var mock = await mockFixture.GetAsync();
        var oracle = await oracleFixture.GetAsync();
        using var file = TempFile.WithRandomBytes(size);
        var profile = MockProfile.For(mock);
        using var forms = new GrpcUploadFormSource(profile);
        using var transfer = new AttachmentTransfer(profile, forms, FastRetries);
        var pointer = await UploadFromNodeAsync(mock, oracle, transfer, file.Path);
        using var received = TempFile.Empty();
        File.Delete(received.Path);

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        await transfer.DownloadToFileAsync(pointer, received.Path);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        output.WriteLine($"download of {size} bytes allocated {allocated / 1024} KiB in this process");

        Assert.Equal(size, new FileInfo(received.Path).Length);
        Assert.Equal(file.Sha256Hex, TempFile.Sha256HexOf(received.Path));
        if (size >= 1 << 20)
        {
            Assert.True(allocated < size / 2 + (4 << 20), $"allocated {allocated} bytes for a {size}-byte download");
        }

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(received.Path));
        }
    }

    [Fact]
    public async Task A_corrupted_download_is_an_integrity_error_and_no_file_is_left()
    {
        var mock = await mockFixture.GetAsync();
        var profile = MockProfile.For(mock);
        using var forms = new GrpcUploadFormSource(profile);
        using var transfer = new AttachmentTransfer(profile, forms, FastRetries);
        var plaintext = RandomNumberGenerator.GetBytes(5000);
        var (blob, key, digest) = await AttachmentCipherTests.EncryptAsync(plaintext);
        var form = await transfer.GetUploadFormAsync(blob.Length, CancellationToken.None);
        blob[100] ^= 0x01;
        using (var http = new ServiceHttpClient(profile))
        {
            await http.UploadTusAsync(new Uri(form.SignedUploadLocation), form.Headers, blob);
        }

        var pointer = new AttachmentPointerData { CdnNumber = 3, CdnKey = form.Key, Key = key, Digest = digest, Size = plaintext.Length };
        using var target = TempFile.Empty();
        File.Delete(target.Path);

        var error = await Assert.ThrowsAsync<AttachmentIntegrityException>(() => transfer.DownloadToFileAsync(pointer, target.Path));
        Assert.Equal("digest mismatch", error.Reason);
        Assert.False(File.Exists(target.Path));

        // The same blob with a digest that matches it still fails on the MAC: the digest alone is not trusted.
        var forged = pointer with { Digest = SHA256.HashData(blob) };
        var macError = await Assert.ThrowsAsync<AttachmentIntegrityException>(() => transfer.DownloadAsync(forged, Stream.Null));
        Assert.Equal("MAC mismatch", macError.Reason);
    }

    [Fact]
    public async Task A_missing_object_is_retried_then_a_transfer_error()
    {
        var mock = await mockFixture.GetAsync();
        var profile = MockProfile.For(mock);
        using var forms = new GrpcUploadFormSource(profile);
        using var transfer = new AttachmentTransfer(profile, forms, FastRetries);
        var pointer = new AttachmentPointerData
        {
            CdnNumber = 3, CdnKey = "no-such-" + Guid.NewGuid().ToString("N"), Key = AttachmentCipher.NewKey(), Digest = new byte[32], Size = 10,
        };

        var error = await Assert.ThrowsAsync<AttachmentTransferException>(() => transfer.DownloadAsync(pointer, Stream.Null));
        Assert.Equal(404, error.HttpStatus);
    }

    [Fact]
    public async Task Content_type_comes_from_the_bytes_when_not_given()
    {
        var mock = await mockFixture.GetAsync();
        var profile = MockProfile.For(mock);
        using var forms = new GrpcUploadFormSource(profile);
        using var transfer = new AttachmentTransfer(profile, forms, FastRetries);
        var png = Convert.FromHexString("89504E470D0A1A0A0000000D49484452").Concat(RandomNumberGenerator.GetBytes(100)).ToArray();

        var pointer = await transfer.UploadAsync(new MemoryStream(png), png.Length, "picture.dat");
        using var back = new MemoryStream();
        await transfer.DownloadAsync(AttachmentPointerData.FromProtobuf(pointer.ToProtobuf()), back);

        Assert.Equal("image/png", pointer.ContentType);
        Assert.Equal(png, back.ToArray());
    }

    private static async Task<AttachmentPointerData> UploadFromNodeAsync(MockServer mock, NodeOracle oracle, AttachmentTransfer transfer, string path)
    {
        var length = new FileInfo(path).Length;
        var form = await transfer.GetUploadFormAsync(length + 64, CancellationToken.None);
        var headers = new JsonObject();
        foreach (var (name, value) in form.Headers)
        {
            headers[name] = value;
        }

        var result = (await oracle.CallAsync("attachments.encryptAndUpload", new JsonObject
        {
            ["origin"] = mock.Origin, ["caCertPath"] = mock.CaCertificatePath, ["uploadLocation"] = form.SignedUploadLocation,
            ["headers"] = headers, ["plaintextPath"] = path,
        }))!;
        return new AttachmentPointerData
        {
            CdnNumber = (int)form.Cdn,
            CdnKey = form.Key,
            Key = Convert.FromBase64String(result["key"]!.GetValue<string>()),
            Digest = Convert.FromBase64String(result["digest"]!.GetValue<string>()),
            Size = result["size"]!.GetValue<long>(),
        };
    }
}
