using System.Security.Cryptography;
using SignalSharp.Service.Attachments;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Service.Tests.Attachments;

/// <summary>Download retries and limits, against a scripted CDN (the mock never fails on its own).</summary>
public sealed class DownloadRetryTests
{
    private static readonly AttachmentTransferOptions FastRetries = new() { RetryBackoff = new(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50)) };

    private static ServerProfile ProfileFor(ScriptedHttpServer server) => ServerProfile.Production with
    {
        CdnUrls = new Dictionary<int, Uri> { [0] = server.BaseUrl, [2] = new(server.BaseUrl, "cdn2"), [3] = new(server.BaseUrl, "cdn3") },
    };

    [Fact]
    public async Task A_transient_cdn_failure_is_retried_and_the_second_answer_is_used()
    {
        var plaintext = RandomNumberGenerator.GetBytes(3000);
        var (blob, key, digest) = await AttachmentCipherTests.EncryptAsync(plaintext);
        using var server = new ScriptedHttpServer(async (context, n) =>
        {
            if (n == 1)
            {
                context.Response.StatusCode = 503;
                return;
            }

            await context.Response.OutputStream.WriteAsync(blob);
        });
        using var transfer = new AttachmentTransfer(ProfileFor(server), options: FastRetries);
        using var output = new MemoryStream();

        await transfer.DownloadAsync(new AttachmentPointerData { CdnNumber = 3, CdnKey = "abc", Key = key, Digest = digest, Size = 3000 }, output);

        Assert.Equal(plaintext, output.ToArray());
        Assert.Equal(["GET /cdn3/attachments/abc", "GET /cdn3/attachments/abc"], server.Requests.ToArray());
    }

    [Fact]
    public async Task Cdn0_uses_the_legacy_path_and_a_blob_longer_than_the_bucket_is_refused()
    {
        var (blob, key, digest) = await AttachmentCipherTests.EncryptAsync(RandomNumberGenerator.GetBytes(10));
        var oversized = blob.Concat(new byte[AttachmentPadding.CiphertextLength(10)]).ToArray();
        using var server = new ScriptedHttpServer(async (context, _) => await context.Response.OutputStream.WriteAsync(oversized));
        using var transfer = new AttachmentTransfer(ProfileFor(server), options: FastRetries);

        await Assert.ThrowsAsync<AttachmentIntegrityException>(() => transfer.DownloadAsync(
            new AttachmentPointerData { CdnNumber = 0, CdnId = 77, Key = key, Digest = digest, Size = 10 }, Stream.Null));
        Assert.Equal(["GET /attachments/77"], server.Requests.ToArray());
    }

    [Fact]
    public async Task A_refusal_that_is_not_transient_is_not_retried()
    {
        using var server = new ScriptedHttpServer((context, _) =>
        {
            context.Response.StatusCode = 403;
            return Task.CompletedTask;
        });
        using var transfer = new AttachmentTransfer(ProfileFor(server), options: FastRetries);

        var error = await Assert.ThrowsAsync<AttachmentTransferException>(() => transfer.DownloadAsync(
            new AttachmentPointerData { CdnNumber = 2, CdnKey = "x", Key = new byte[64], Digest = new byte[32], Size = 1 }, Stream.Null));
        Assert.Equal(403, error.HttpStatus);
        Assert.Single(server.Requests);
    }
}
