using SignalSharp.Service.Api;
using SignalSharp.Service.Attachments;
using SignalSharp.Service.Profiles;
using SignalSharp.Service.Tests.Support;
using SignalSharp.Service.Transport;

namespace SignalSharp.Service.Tests.Api;

/// <summary>
/// The two routes production serves on the chat socket where the mock has only gRPC: the upload form and the
/// multi-recipient send, each request checked as a server would read it and each answer production gives mapped.
/// The shapes follow Signal-Server's AttachmentControllerV4 and MessageController and libsignal's own tests of them.
/// </summary>
public sealed class ProductionRoutesTests : IAsyncLifetime
{
    private static readonly ChatConnectionOptions Options = new() { RequestTimeout = TimeSpan.FromSeconds(10), KeepAliveInterval = TimeSpan.Zero };
    private static readonly Guid Alice = Guid.Parse("4fcfe887-a600-40cd-9ab7-fd2a695e9981");
    private static readonly Guid Bob = Guid.Parse("0b8f3a57-2c1e-4d8a-9e77-5e0c3f2d1a99");

    private readonly FakeChatServer server = new();
    private readonly TestLogger log = new();
    private ChatConnection? chat;

    public async Task InitializeAsync()
    {
        chat = new ChatConnection(server.ConnectAsync, null, Options, log);
        await chat.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await chat!.DisposeAsync();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task The_upload_form_is_asked_for_with_the_blob_length_and_read_from_json()
    {
        var peer = await server.NextPeerAsync();
        var answer = new ChatApi(chat!).GetUploadFormAsync(12345);
        var request = (await peer.ReceiveAsync()).Request;
        await peer.SendResponseAsync(request.Id, 200,
            """{"cdn":2,"key":"abc","headers":{"host":"cdn2.example","x-goog-resumable":"start"},"signedUploadLocation":"https://cdn2.example/a?sig=1"}""");

        var form = await answer;
        Assert.Equal(("GET", "/v4/attachments/form/upload?uploadLength=12345"), (request.Verb, request.Path));
        Assert.Equal((2, "abc", "https://cdn2.example/a?sig=1"), (form.Cdn, form.Key, form.SignedUploadLocation));
        Assert.Equal("start", form.Headers["x-goog-resumable"]);
    }

    [Fact]
    public async Task An_upload_form_refused_as_too_large_is_a_typed_error()
    {
        var peer = await server.NextPeerAsync();
        var answer = new ChatApi(chat!).GetUploadFormAsync(1L << 40);
        await peer.SendResponseAsync((await peer.ReceiveAsync()).Request.Id, 413);

        var error = await Assert.ThrowsAsync<AttachmentTransferException>(() => answer);
        Assert.Equal(413, error.HttpStatus);
    }

    [Fact]
    public async Task A_multi_recipient_send_is_a_put_with_the_mrm_body_and_the_token_and_200_lists_the_unregistered()
    {
        var peer = await server.NextPeerAsync();
        byte[] payload = [0x23, 1, 2, 3];
        byte[] token = [9, 8, 7];
        var answer = new ChatApi(chat!).SendMultiRecipientAsync(payload, 1700000000000, token, urgent: true);
        var request = (await peer.ReceiveAsync()).Request;
        await peer.SendResponseAsync(request.Id, 200, $$"""{"uuids404":["{{Alice}}","PNI:{{Bob}}"]}""");

        var sent = Assert.IsType<MultiRecipientOutcome.Sent>(await answer);
        Assert.Equal(("PUT", "/v1/messages/multi_recipient?ts=1700000000000&online=false&urgent=true"), (request.Verb, request.Path));
        Assert.Equal(["content-type:application/vnd.signal-messenger.mrm", "Group-Send-Token:" + Convert.ToBase64String(token)], request.Headers);
        Assert.Equal(payload, request.Body.ToByteArray());
        Assert.Equal([Alice, Bob], sent.Unresolved);
    }

    [Theory]
    [InlineData(409)]
    [InlineData(410)]
    public async Task Device_mismatches_come_back_per_account(int status)
    {
        var peer = await server.NextPeerAsync();
        var answer = new ChatApi(chat!).SendMultiRecipientAsync(new byte[] { 0x23 }, 1, new byte[] { 1 }, urgent: false);
        var request = (await peer.ReceiveAsync()).Request;
        var body = status == 409
            ? $$$"""[{"uuid":"{{{Alice}}}","devices":{"missingDevices":[4,5],"extraDevices":[40]}}]"""
            : $$$"""[{"uuid":"{{{Alice}}}","devices":{"staleDevices":[2]}}]""";
        await peer.SendResponseAsync(request.Id, status, body);

        var mismatch = Assert.Single(Assert.IsType<MultiRecipientOutcome.Mismatched>(await answer).Recipients);
        Assert.EndsWith("urgent=false", request.Path, StringComparison.Ordinal);
        Assert.Equal(Alice, mismatch.ServiceId);
        Assert.Equal(status == 409 ? [4u, 5u] : [], mismatch.Missing);
        Assert.Equal(status == 409 ? [40u] : [], mismatch.Extra);
        Assert.Equal(status == 409 ? [] : [2u], mismatch.Stale);
    }

    [Fact]
    public async Task A_refused_token_is_unauthorized_not_an_exception()
    {
        var peer = await server.NextPeerAsync();
        var answer = new ChatApi(chat!).SendMultiRecipientAsync(new byte[] { 0x23 }, 1, new byte[] { 1 }, urgent: true);
        await peer.SendResponseAsync((await peer.ReceiveAsync()).Request.Id, 401);

        Assert.IsType<MultiRecipientOutcome.Unauthorized>(await answer);
    }

    [Fact]
    public async Task Without_a_token_nothing_is_sent()
    {
        var asked = false;
        using var api = new MultiRecipientApi(ServerProfile.Production, _ =>
        {
            asked = true;
            return Task.FromResult(new ChatApi(chat!));
        });

        var outcome = await api.SendAsync(new byte[] { 0x23 }, 1, ReadOnlyMemory<byte>.Empty);

        Assert.IsType<MultiRecipientOutcome.Unauthorized>(outcome);
        Assert.False(asked);
    }

    [Fact]
    public async Task A_challenge_answer_is_a_put_of_type_token_and_captcha_and_428_means_refused()
    {
        var peer = await server.NextPeerAsync();
        var api = new ChatApi(chat!);
        var accepted = api.SubmitRateLimitChallengeAsync("tok-1", "cap-1");
        var request = (await peer.ReceiveAsync()).Request;
        await peer.SendResponseAsync(request.Id, 200);
        await accepted;
        var refused = api.SubmitRateLimitChallengeAsync("tok-2", "cap-2");
        await peer.SendResponseAsync((await peer.ReceiveAsync()).Request.Id, 428, """{"token":"tok-3","options":["captcha"]}""");

        Assert.Equal(("PUT", "/v1/challenge"), (request.Verb, request.Path));
        var body = System.Text.Json.JsonDocument.Parse(request.Body.ToByteArray()).RootElement;
        Assert.Equal(("captcha", "tok-1", "cap-1"), (body.GetProperty("type").GetString(), body.GetProperty("token").GetString(), body.GetProperty("captcha").GetString()));
        Assert.Equal("tok-3", (await Assert.ThrowsAsync<RateLimitChallengeException>(() => refused)).Token);
    }
}
