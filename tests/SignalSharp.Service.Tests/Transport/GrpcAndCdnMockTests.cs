using SignalSharp.Interop.Testing;
using SignalSharp.Service.Http;
using SignalSharp.Service.Proto;

namespace SignalSharp.Service.Tests.Transport;

/// <summary>Unary gRPC (the upload form exists only there) and the CDN 3 upload/download round trip on the mock.</summary>
[Collection(MockServerCollection.Name)]
public sealed class GrpcAndCdnMockTests(MockServerFixture fixture)
{
    private const string GetUploadForm = "org.signal.chat.attachments.Attachments/GetUploadForm";

    [Fact]
    public async Task Upload_form_over_grpc_then_tus_upload_and_cdn3_download_give_back_the_bytes()
    {
        var mock = await fixture.GetAsync();
        var profile = MockProfile.For(mock);
        using var grpc = new GrpcUnaryClient(profile);
        var blob = System.Security.Cryptography.RandomNumberGenerator.GetBytes(70_000);

        var response = await grpc.CallAsync(GetUploadForm, new GetUploadFormRequest { UploadLength = (ulong)blob.Length }, GetUploadFormResponse.Parser);

        Assert.Equal(GetUploadFormResponse.OutcomeOneofCase.UploadForm, response.OutcomeCase);
        var form = response.UploadForm;
        Assert.Equal(3U, form.Cdn);
        Assert.False(string.IsNullOrEmpty(form.Key));
        var location = new Uri(form.SignedUploadLocation);
        Assert.EndsWith("/cdn3/attachments/" + form.Key, location.AbsolutePath, StringComparison.Ordinal);

        using var http = new ServiceHttpClient(profile);
        // The form names "localhost"; the mock's certificate covers it and the harness listens on 127.0.0.1.
        await http.UploadTusAsync(location, form.Headers, blob);
        var downloaded = await http.DownloadAsync(3, "attachments/" + form.Key);
        Assert.Equal(blob, downloaded);
    }

    [Fact]
    public async Task An_unknown_grpc_method_is_an_error_not_a_silent_default()
    {
        var mock = await fixture.GetAsync();
        using var grpc = new GrpcUnaryClient(MockProfile.For(mock));
        var error = await Assert.ThrowsAsync<GrpcCallException>(
            () => grpc.CallAsync("org.signal.chat.nothing.Nothing/Nothing", new GetUploadFormRequest(), GetUploadFormResponse.Parser));
        Assert.NotEqual(GrpcStatus.Ok, error.Status);
    }

    [Fact]
    public async Task Grpc_credentials_are_sent_and_a_refusal_carries_status_and_message()
    {
        var mock = await fixture.GetAsync();
        using var grpc = new GrpcUnaryClient(MockProfile.For(mock));
        const string deleteUsername = "org.signal.chat.account.Accounts/DeleteUsernameHash";

        var anonymous = await Assert.ThrowsAsync<GrpcCallException>(
            () => grpc.CallAsync(deleteUsername, new GetUploadFormRequest(), GetUploadFormResponse.Parser));
        Assert.Equal(GrpcStatus.Unauthenticated, anonymous.Status);
        Assert.Contains("incorrect credentials", anonymous.Message, StringComparison.Ordinal);

        var account = (await mock.CommandAsync("createAccount", new System.Text.Json.Nodes.JsonObject { ["name"] = "grpc-" + Guid.NewGuid().ToString("N")[..8] }))!;
        var credentials = new SignalSharp.Service.Transport.ChatCredentials(account["aci"]!.GetValue<string>(), 1, account["password"]!.GetValue<string>());
        // With valid Basic credentials the call goes through (the reply is an empty DeleteUsernameHashResponse).
        var answer = await grpc.CallAsync(deleteUsername, new GetUploadFormRequest(), GetUploadFormResponse.Parser, credentials);
        Assert.Equal(GetUploadFormResponse.OutcomeOneofCase.None, answer.OutcomeCase);
    }
}
