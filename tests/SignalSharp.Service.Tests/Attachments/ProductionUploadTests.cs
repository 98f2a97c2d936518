using System.Security.Cryptography;
using System.Text;
using SignalSharp.Service.Attachments;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Service.Tests.Attachments;

/// <summary>
/// Uploads as Signal's production CDNs take them (<see cref="ProductionCdn"/>): CDN 3 over TUS resumed at the
/// upload's own URL, a spent TUS form replaced by a fresh one, and CDN 2's resumable upload, each cut halfway.
/// </summary>
public sealed class ProductionUploadTests
{
    private static readonly AttachmentTransferOptions FastRetries = new() { RetryBackoff = new(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50)) };

    [Fact]
    public async Task A_cut_TUS_upload_resumes_at_the_key_url_with_head_and_patch()
    {
        using var cdn = new ProductionCdn(cutAfter: 40_000);
        var forms = new ScriptedForms(TusForm(cdn, "k1"));
        using var transfer = new AttachmentTransfer(ServerProfile.Production, forms, FastRetries);
        var plaintext = RandomNumberGenerator.GetBytes(100_000);

        var pointer = await transfer.UploadAsync(new MemoryStream(plaintext), plaintext.Length);

        Assert.Equal((3, "k1"), (pointer.CdnNumber, pointer.CdnKey));
        await AssertStoredDecryptsAsync(cdn, "k1", pointer, plaintext);
        Assert.Equal(["POST /upload/attachments", "HEAD /upload/attachments/k1", "PATCH /upload/attachments/k1"], cdn.Requests.ToArray());
    }

    [Fact]
    public async Task A_second_TUS_creation_answered_409_gets_a_fresh_form_and_the_pointer_names_its_key()
    {
        // The CDN cannot report the offset (HEAD fails), so the client creates again: production refuses that key.
        using var cdn = new ProductionCdn(cutAfter: 40_000, headKnowsOffsets: false);
        var forms = new ScriptedForms(TusForm(cdn, "k1"), TusForm(cdn, "k2"));
        using var transfer = new AttachmentTransfer(ServerProfile.Production, forms, FastRetries);
        var plaintext = RandomNumberGenerator.GetBytes(100_000);

        var pointer = await transfer.UploadAsync(new MemoryStream(plaintext), plaintext.Length);

        Assert.Equal("k2", pointer.CdnKey);
        Assert.Equal(2, forms.Handed);
        await AssertStoredDecryptsAsync(cdn, "k2", pointer, plaintext);
        Assert.Equal(["POST /upload/attachments", "HEAD /upload/attachments/k1", "POST /upload/attachments", "POST /upload/attachments"], cdn.Requests.ToArray());
    }

    [Fact]
    public async Task A_cut_CDN_2_upload_starts_a_session_asks_what_arrived_and_sends_the_rest()
    {
        using var cdn = new ProductionCdn(cutAfter: 50_000);
        var headers = new Dictionary<string, string>
        {
            ["host"] = "cdn2.example", ["x-goog-content-length-range"] = "1,104857600", ["x-goog-resumable"] = "start",
        };
        var forms = new ScriptedForms(new AttachmentUploadForm(2, "g1", headers, cdn.GcsStart("g1").ToString()));
        using var transfer = new AttachmentTransfer(ServerProfile.Production, forms, FastRetries);
        var plaintext = RandomNumberGenerator.GetBytes(120_000);

        var pointer = await transfer.UploadAsync(new MemoryStream(plaintext), plaintext.Length);

        Assert.Equal((2, "g1"), (pointer.CdnNumber, pointer.CdnKey));
        await AssertStoredDecryptsAsync(cdn, "g1", pointer, plaintext);
        var blobLength = AttachmentPadding.CiphertextLength(plaintext.Length);
        Assert.Equal(
            ["POST /gcs/g1", "PUT /gcs-session/g1", $"PUT /gcs-session/g1 bytes */{blobLength}", $"PUT /gcs-session/g1 bytes 50000-{blobLength - 1}/{blobLength}"],
            cdn.Requests.ToArray());
        var start = Assert.Single(cdn.GcsStarts);
        Assert.Equal("1,104857600", start["x-goog-content-length-range"]);
        Assert.NotEqual("cdn2.example", start["Host"]); // the form's host header is not sent as is
    }

    [Fact]
    public async Task A_form_for_an_unknown_cdn_is_refused_with_a_typed_error()
    {
        var forms = new ScriptedForms(new AttachmentUploadForm(7, "x", new Dictionary<string, string>(), "https://127.0.0.1:1/x"));
        using var transfer = new AttachmentTransfer(ServerProfile.Production, forms, FastRetries);

        var error = await Assert.ThrowsAsync<AttachmentTransferException>(() => transfer.UploadAsync(new MemoryStream([1, 2, 3]), 3));
        Assert.Contains("CDN 7", error.Message, StringComparison.Ordinal);
    }

    private static AttachmentUploadForm TusForm(ProductionCdn cdn, string key) => new(3, key, new Dictionary<string, string>
    {
        ["Authorization"] = "Bearer test", ["Upload-Metadata"] = "filename " + Convert.ToBase64String(Encoding.UTF8.GetBytes(key)),
    }, cdn.TusCreation.ToString());

    private static async Task AssertStoredDecryptsAsync(ProductionCdn cdn, string key, AttachmentPointerData pointer, byte[] plaintext)
    {
        var blob = cdn.Stored[key].ToArray();
        Assert.Equal(AttachmentPadding.CiphertextLength(plaintext.Length), blob.Length);
        Assert.Equal(SHA256.HashData(blob), pointer.Digest);
        Assert.Equal(plaintext, await AttachmentCipherTests.DecryptAsync(blob, pointer.Key, pointer.Digest, plaintext.Length));
    }

    private sealed class ScriptedForms(params AttachmentUploadForm[] forms) : IUploadFormSource
    {
        private int next;

        public int Handed => next;

        public Task<AttachmentUploadForm> GetAsync(long uploadLength, CancellationToken cancellationToken) => Task.FromResult(forms[next++]);
    }
}
