using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Tests.Support;

namespace SignalSharp.JsonRpc.Tests.Methods;

/// <summary>Received attachments kept on disk under the id the notification names, and fetched with getAttachment as signal-cli does.</summary>
public sealed class AttachmentTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_received_attachment_is_kept_owner_only_and_getAttachment_returns_its_bytes()
    {
        var folder = Path.Combine(Directory.CreateTempSubdirectory("signalsharp-attachments-").FullName, "attachments");
        try
        {
            await using var harness = new Harness(attachmentDirectory: folder);
            byte[] bytes = [1, 2, 3, 250, 251];
            harness.Fake.Deliver(new ReceivedMessage(7, FakeAccount.KnownNumber, null, [new ReceivedAttachment(bytes, "photo.jpg", "image/jpeg", bytes.Length)]));

            var received = JsonLine.Parse(await harness.AskAsync("""{"jsonrpc":"2.0","method":"receive","params":{"timeout":1},"id":1}"""));
            var attachment = received["result"]![0]!["envelope"]!["dataMessage"]!["attachments"]![0]!;
            var id = (string)attachment["id"]!;
            Assert.EndsWith(".jpg", id, StringComparison.Ordinal);
            Assert.Equal("image/jpeg", (string)attachment["contentType"]!);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, id)));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));

            Assert.Equal(
                $$"""{"jsonrpc":"2.0","result":{"data":"{{Convert.ToBase64String(bytes)}}"},"id":2}""",
                await harness.AskAsync($$"""{"jsonrpc":"2.0","method":"getAttachment","params":{"id":"{{id}}"},"id":2}"""));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }

    [Fact]
    public async Task A_view_once_attachment_is_fetched_once_and_its_file_is_gone_after()
    {
        var folder = Path.Combine(Directory.CreateTempSubdirectory("signalsharp-attachments-").FullName, "attachments");
        try
        {
            await using var harness = new Harness(attachmentDirectory: folder);
            byte[] bytes = [9, 8, 7];
            harness.Fake.Deliver(new ReceivedMessage(7, FakeAccount.KnownNumber, null, [new ReceivedAttachment(bytes, "secret.jpg", "image/jpeg", bytes.Length)])
            {
                Details = new MessageDetails { ViewOnce = true },
            });

            var received = JsonLine.Parse(await harness.AskAsync("""{"jsonrpc":"2.0","method":"receive","params":{"timeout":1},"id":1}"""));
            var dataMessage = received["result"]![0]!["envelope"]!["dataMessage"]!;
            Assert.True((bool)dataMessage["viewOnce"]!);
            var id = (string)dataMessage["attachments"]![0]!["id"]!;

            Assert.Equal(
                $$"""{"jsonrpc":"2.0","result":{"data":"{{Convert.ToBase64String(bytes)}}"},"id":2}""",
                await harness.AskAsync($$"""{"jsonrpc":"2.0","method":"getAttachment","params":{"id":"{{id}}"},"id":2}"""));
            Assert.Empty(Directory.GetFiles(folder));
            var second = JsonLine.Parse(await harness.AskAsync($$"""{"jsonrpc":"2.0","method":"getAttachment","params":{"id":"{{id}}"},"id":3}"""))["error"]!;
            Assert.Equal(-1, (int)second["code"]!);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }

    [Theory]
    [InlineData("no-such-attachment")]
    [InlineData("../attachments/x")]
    [InlineData("..")]
    public async Task An_unknown_or_escaping_id_is_a_user_error(string id)
    {
        var folder = Directory.CreateTempSubdirectory("signalsharp-attachments-").FullName;
        try
        {
            await using var harness = new Harness(attachmentDirectory: folder);
            var error = JsonLine.Parse(await harness.AskAsync($$"""{"jsonrpc":"2.0","method":"getAttachment","params":{"id":"{{id}}"},"id":1}"""))["error"]!;
            Assert.Equal(-1, (int)error["code"]!);
            Assert.Equal("Could not find attachment with ID: " + id, (string)error["message"]!);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
