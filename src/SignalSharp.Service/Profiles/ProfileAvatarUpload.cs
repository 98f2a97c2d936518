using System.Net.Http;
using System.Net.Http.Headers;
using SignalSharp.Service.Api;
using SignalSharp.Service.Http;

namespace SignalSharp.Service.Profiles;

/// <summary>
/// Posts an encrypted profile avatar to CDN 0 with the signed form <c>PUT /v1/profile</c> answered: the form's fields
/// in the order the CDN's policy lists them, then the file.
/// </summary>
public static class ProfileAvatarUpload
{
    public static async Task UploadAsync(ServiceHttpClient http, ProfileAvatarUploadForm form, byte[] encryptedAvatar, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(encryptedAvatar);
        using var content = new MultipartFormDataContent();
        foreach (var (name, value) in new[]
        {
            ("key", form.Key), ("x-amz-credential", form.Credential), ("acl", form.Acl), ("x-amz-algorithm", form.Algorithm),
            ("x-amz-date", form.Date), ("policy", form.Policy), ("x-amz-signature", form.Signature), ("Content-Type", "application/octet-stream"),
        })
        {
            var part = new StringContent(value);
            // Quoted, as browsers and Signal's apps write them (some form parsers take nothing else).
            part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = Quoted(name) };
            content.Add(part);
        }

        var file = new ByteArrayContent(encryptedAvatar);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        file.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = Quoted("file"), FileName = Quoted("file") };
        content.Add(file);
        using var request = new HttpRequestMessage(HttpMethod.Post, http.Profile.CdnUrl(0)) { Content = content };
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var detail = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new UnexpectedResponseException("POST (CDN 0 profile avatar)", (int)response.StatusCode, detail.Length is > 0 and < 200 ? detail : null);
        }
    }

    private static string Quoted(string name) => "\"" + name + "\"";
}
