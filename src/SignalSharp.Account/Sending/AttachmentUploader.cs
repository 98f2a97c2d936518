using System.Runtime.InteropServices;
using SignalSharp.Account.Proto;
using SignalSharp.Account.Api;
using SignalSharp.Service.Api;
using SignalSharp.Service.Attachments;
using SignalSharp.Service.Profiles;
using SignalSharp.Service.Transport;

namespace SignalSharp.Account.Sending;

/// <summary>
/// Uploads the attachments of an outgoing message, one after another, and returns their pointers for the
/// DataMessage. Each upload encrypts while it streams the client's decoded bytes (no copy of the plaintext, no
/// buffered ciphertext), so a send holds little beyond its own input.
/// </summary>
internal static class AttachmentUploader
{
    public static async Task<IReadOnlyList<AttachmentPointer>> UploadAsync(
        ServerProfile profile, ChatApi api, ChatCredentials credentials, IReadOnlyList<OutgoingAttachment> attachments, CancellationToken cancellationToken)
    {
        if (attachments.Count == 0)
        {
            return [];
        }

        // Forms come over the account's socket (gRPC first only where the profile asks for it).
        var forms = UploadFormSources.For(profile, api, credentials);
        using var disposeForms = forms as IDisposable;
        using var transfer = new AttachmentTransfer(profile, forms);
        var pointers = new List<AttachmentPointer>(attachments.Count);
        foreach (var attachment in attachments)
        {
            using var plaintext = OpenRead(attachment.Data);
            // Content type: the client's, else the magic bytes, else the file name, else application/octet-stream.
            var uploaded = await transfer.UploadAsync(plaintext, attachment.Data.Length, attachment.FileName, attachment.ContentType, cancellationToken)
                .ConfigureAwait(false);
            // Our proto declares the fields we read; the rest (upload timestamp, ...) rides along as unknown fields.
            pointers.Add(AttachmentPointer.Parser.ParseFrom(uploaded.ToProtobuf()));
        }

        return pointers;
    }

    /// <summary>A seekable read-only view of the bytes (seekable: sniffing and upload resume re-read it).</summary>
    private static MemoryStream OpenRead(ReadOnlyMemory<byte> data) =>
        MemoryMarshal.TryGetArray(data, out var segment) && segment.Array is { } array
            ? new MemoryStream(array, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(data.ToArray(), writable: false);
}
