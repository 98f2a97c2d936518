using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.Account.Tests.Groups;
using SignalSharp.Interop.Testing;

namespace SignalSharp.Account.Tests;

/// <summary>
/// Issue 12 item 4, TUS's 409 answers through the production-style front (CDN 3 at production's paths): each upload
/// is cut halfway, and what the client then learns about it leads to one of the two conflicts. Alice's libsignal
/// client downloads and decrypts what was stored, so a resume that spliced the wrong bytes would fail here.
/// </summary>
public sealed class FrontTusConflictTests
{
    [Fact]
    public async Task A_resumed_upload_that_meets_409_for_its_offset_asks_the_offset_again_and_finishes_with_the_same_form()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice", LinkedAccountOptions.Default, ct, front: true);
        var mock = linked.Mock;

        // The HEAD after the cut reports offset 0 though half arrived: the PATCH from 0 is refused (409).
        await mock.CommandAsync("frontUploads", new JsonObject { ["uploadCdn"] = 3, ["cutFraction"] = 0.5, ["tusStaleHeads"] = 1 }, ct);
        var (data, arrived) = await SendAttachmentToAliceAsync(linked, ct);

        var api = (await mock.CommandAsync("frontApiStats", null, ct))!;
        Assert.Equal(1, api["cuts"]!.GetValue<int>());
        Assert.Equal(1, api["tusOffsetConflicts"]!.GetValue<int>());
        Assert.Equal(0, api["tusConflicts"]!.GetValue<int>());
        var form = Assert.Single(api["forms"]!.AsArray())!;
        var stored = Assert.Single(api["stored"]!.AsArray())!;
        Assert.Equal(form["key"]!.GetValue<string>(), stored["key"]!.GetValue<string>());
        AssertDecrypted(data, arrived, form["key"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_upload_whose_progress_is_unknown_after_a_cut_meets_409_on_creation_and_starts_over_with_a_new_form()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var ct = timeout.Token;
        await using var linked = await LinkedMock.StartAsync("Alice", LinkedAccountOptions.Default, ct, front: true);
        var mock = linked.Mock;

        // The HEAD after the cut cannot say (404): the client creates again, and the key that already holds half the
        // blob is refused (409) and spent; a new form carries the whole upload.
        await mock.CommandAsync("frontUploads", new JsonObject { ["uploadCdn"] = 3, ["cutFraction"] = 0.5, ["tusHeadFails"] = 1 }, ct);
        var (data, arrived) = await SendAttachmentToAliceAsync(linked, ct);

        var api = (await mock.CommandAsync("frontApiStats", null, ct))!;
        Assert.Equal(1, api["cuts"]!.GetValue<int>());
        Assert.Equal(1, api["tusConflicts"]!.GetValue<int>());
        var forms = api["forms"]!.AsArray().Select(f => f!["key"]!.GetValue<string>()).ToList();
        Assert.Equal(2, forms.Count);
        Assert.NotEqual(forms[0], forms[1]);
        var stored = Assert.Single(api["stored"]!.AsArray())!;
        Assert.Equal(forms[1], stored["key"]!.GetValue<string>());
        AssertDecrypted(data, arrived, forms[1]);
    }

    private static async Task<(byte[] Data, JsonNode Arrived)> SendAttachmentToAliceAsync(LinkedMock linked, CancellationToken ct)
    {
        var alice = new RecipientTarget(RecipientAddress.Aci(new Aci(Guid.Parse(linked.Mock.Contact("alice")["aci"]!.GetValue<string>()))));
        var data = RandomNumberGenerator.GetBytes(300_000);
        await linked.Account.SendMessageAsync(alice, new OutgoingMessage("resumed", [new OutgoingAttachment(data, "resumed.bin", null)]), ct);
        var message = await linked.Mock.WaitForAttachmentMessageAsync("alice", cancellationToken: ct);
        return (data, Assert.Single(message["attachments"]!.AsArray())!);
    }

    private static void AssertDecrypted(byte[] data, JsonNode arrived, string key)
    {
        Assert.Null(arrived["error"]);
        Assert.Equal(3, arrived["cdnNumber"]!.GetValue<int>());
        Assert.Equal(key, arrived["cdnKey"]?.GetValue<string>());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), arrived["sha256"]!.GetValue<string>());
    }
}
