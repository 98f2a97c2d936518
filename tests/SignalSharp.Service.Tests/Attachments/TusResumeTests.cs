using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using SignalSharp.Service.Attachments;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Service.Tests.Attachments;

/// <summary>
/// Resuming a broken TUS upload. The mock cannot resume (HEAD/PATCH answer 404), so a small in-process TUS endpoint
/// keeps part of the first POST and answers 503 and then either reports its offset (→ HEAD + PATCH) or does not know it (→ a new POST).
/// </summary>
public sealed class TusResumeTests
{
    private static readonly AttachmentTransferOptions FastRetries = new() { RetryBackoff = new(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50)) };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_cut_upload_resumes_with_head_and_patch_or_restarts_and_the_blob_is_whole(bool serverResumes)
    {
        using var server = new CuttingTusServer(cutAfter: 40_000, serverResumes);
        var plaintext = RandomNumberGenerator.GetBytes(100_000);
        var key = AttachmentCipher.NewKey();
        var iv = AttachmentCipher.NewIv();
        using var transfer = new AttachmentTransfer(ServerProfile.Production, options: FastRetries);

        var digest = await transfer.UploadTusAsync(
            server.Location, "k1", new Dictionary<string, string>(), new MemoryStream(plaintext), 0, plaintext.Length, key, iv, CancellationToken.None);

        var blob = server.Received.ToArray();
        Assert.Equal(AttachmentPadding.CiphertextLength(plaintext.Length), blob.Length);
        Assert.Equal(SHA256.HashData(blob), digest);
        Assert.Equal(plaintext, await AttachmentCipherTests.DecryptAsync(blob, key, digest, plaintext.Length));
        Assert.Equal(serverResumes ? ["POST", "HEAD", "PATCH"] : new[] { "POST", "HEAD", "POST" }, server.Methods.ToArray());
    }

    [Fact]
    public async Task A_non_seekable_plaintext_gets_one_try_and_a_typed_error()
    {
        using var server = new CuttingTusServer(cutAfter: 1000, resumes: true);
        using var transfer = new AttachmentTransfer(ServerProfile.Production, options: FastRetries);
        var plaintext = new NonSeekable(RandomNumberGenerator.GetBytes(50_000));

        await Assert.ThrowsAsync<AttachmentTransferException>(() => transfer.UploadTusAsync(
            server.Location, "k1", new Dictionary<string, string>(), plaintext, 0, 50_000, AttachmentCipher.NewKey(), AttachmentCipher.NewIv(), CancellationToken.None));
        Assert.Equal(["POST"], server.Methods.ToArray());
    }

    private sealed class NonSeekable(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    /// <summary>Plain-HTTP TUS endpoint whose first POST keeps only <c>cutAfter</c> bytes.</summary>
    private sealed class CuttingTusServer : IDisposable
    {
        private readonly HttpListener listener = new();
        private readonly int cutAfter;
        private readonly bool resumes;
        private readonly Task loop;
        private int posts;

        public CuttingTusServer(int cutAfter, bool resumes)
        {
            this.cutAfter = cutAfter;
            this.resumes = resumes;
            var port = FreePort();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            listener.Start();
            Location = new Uri($"http://127.0.0.1:{port}/cdn3/attachments/k1");
            loop = Task.Run(ServeAsync);
        }

        public Uri Location { get; }

        public MemoryStream Received { get; } = new();

        public ConcurrentQueue<string> Methods { get; } = new();

        public void Dispose()
        {
            listener.Close();
            try
            {
                loop.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
            }
        }

        private async Task ServeAsync()
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                Methods.Enqueue(context.Request.HttpMethod);
                await HandleAsync(context);
            }
        }

        private async Task HandleAsync(HttpListenerContext context)
        {
            var request = context.Request;
            var response = context.Response;
            response.Headers["Tus-Resumable"] = "1.0.0";
            switch (request.HttpMethod)
            {
                case "POST" when Interlocked.Increment(ref posts) == 1:
                    Received.SetLength(0);
                    // Keeps the first part and fails the request, as a CDN does when its backend breaks mid-upload.
                    await CopyAsync(request.InputStream, cutAfter);
                    response.StatusCode = 503;
                    response.KeepAlive = false;
                    break;
                case "POST":
                    Received.SetLength(0);
                    await CopyAsync(request.InputStream, int.MaxValue);
                    response.StatusCode = 201;
                    break;
                case "HEAD" when resumes:
                    response.Headers["Upload-Offset"] = Received.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    response.StatusCode = 200;
                    break;
                case "HEAD":
                    response.StatusCode = 404;
                    break;
                case "PATCH" when request.Headers["Upload-Offset"] == Received.Length.ToString(System.Globalization.CultureInfo.InvariantCulture):
                    await CopyAsync(request.InputStream, int.MaxValue);
                    response.StatusCode = 204;
                    break;
                default:
                    response.StatusCode = 409;
                    break;
            }

            response.Close();
        }

        private async Task CopyAsync(Stream body, int limit)
        {
            var buffer = new byte[8192];
            int read;
            var total = 0;
            while (total < limit && (read = await body.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, limit - total)))) > 0)
            {
                Received.Write(buffer, 0, read);
                total += read;
            }
        }

        private static int FreePort()
        {
            using var socket = new TcpListener(IPAddress.Loopback, 0);
            socket.Start();
            return ((IPEndPoint)socket.LocalEndpoint).Port;
        }
    }
}
