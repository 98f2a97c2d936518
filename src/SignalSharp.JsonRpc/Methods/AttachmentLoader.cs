using System.Net;
using System.Text;
using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Protocol;

namespace SignalSharp.JsonRpc.Methods;

/// <summary>Reads send's attachments: file paths, or RFC 2397 <c>data:</c> URIs with signal-cli's <c>filename=</c> parameter.</summary>
internal static class AttachmentLoader
{
    public static async Task<IReadOnlyList<OutgoingAttachment>> LoadAsync(IReadOnlyList<string> specs, CancellationToken cancellationToken)
    {
        var attachments = new List<OutgoingAttachment>(specs.Count);
        foreach (var spec in specs)
        {
            attachments.Add(spec.StartsWith("data:", StringComparison.Ordinal)
                ? FromDataUri(spec)
                : await FromFileAsync(spec, cancellationToken).ConfigureAwait(false));
        }

        return attachments;
    }

    /// <summary>data:[mediatype][;filename=NAME][;base64],DATA</summary>
    public static OutgoingAttachment FromDataUri(string uri)
    {
        var comma = uri.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            throw Invalid("a data URI needs a ',' before its data");
        }

        var header = uri[5..comma].Split(';');
        var contentType = header[0].Length > 0 ? header[0] : null;
        string? fileName = null;
        var isBase64 = false;
        foreach (var part in header.Skip(1))
        {
            if (part == "base64")
            {
                isBase64 = true;
            }
            else if (part.StartsWith("filename=", StringComparison.Ordinal))
            {
                fileName = WebUtility.UrlDecode(part["filename=".Length..]);
            }
        }

        var payload = uri.AsSpan(comma + 1);
        byte[] data;
        if (isBase64)
        {
            var buffer = new byte[payload.Length / 4 * 3 + 3];
            if (!Convert.TryFromBase64Chars(payload, buffer, out var written))
            {
                throw Invalid("the data URI's base64 data is malformed");
            }

            data = buffer[..written];
        }
        else
        {
            data = Encoding.UTF8.GetBytes(WebUtility.UrlDecode(payload.ToString()));
        }

        return new OutgoingAttachment(data, fileName, contentType);
    }

    private static async Task<OutgoingAttachment> FromFileAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var data = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            return new OutgoingAttachment(data, Path.GetFileName(path), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw Invalid(e.Message);
        }
    }

    private static JsonRpcException Invalid(string reason) =>
        new(JsonRpcErrorCodes.UserError, "Failed to read attachment: " + reason);
}
