using System.Buffers.Text;
using System.Security.Cryptography;
using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Protocol;

namespace SignalSharp.JsonRpc.Methods;

/// <summary>
/// Received attachments on disk, as signal-cli keeps them: DIR/ID, where ID is what a notification's attachment
/// <c>id</c> says and what <c>getAttachment</c> takes. The folder is owner-only (0700), each file 0600.
/// A view-once attachment's id starts with <see cref="ViewOncePrefix"/>: the first <c>getAttachment</c> hands its
/// bytes out and deletes the file, as the sender asked for one viewing.
/// </summary>
internal sealed class AttachmentStore(string? directory)
{
    public const string ViewOncePrefix = "viewonce-";

    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>How the attachments of <paramref name="item"/> are saved: view-once ones under an id that says so.</summary>
    public Func<ReceivedAttachment, string?> SaverFor(ReceivedItem item)
        => item is ReceivedMessage { Details.ViewOnce: true } ? attachment => Save(attachment, viewOnce: true) : attachment => Save(attachment);

    /// <summary>Writes the attachment's bytes and returns its id; null when there is no folder or no data (attachments ignored).</summary>
    public string? Save(ReceivedAttachment attachment, bool viewOnce = false)
    {
        if (directory is null || attachment.Data is not { } data)
        {
            return null;
        }

        if (!OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory, FolderMode);
        }
        else
        {
            Directory.CreateDirectory(directory);
        }

        var id = (viewOnce ? ViewOncePrefix : "") + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(15)) + Extension(attachment.FileName);
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        using (var file = new FileStream(Path.Combine(directory, id), options))
        {
            file.Write(data.Span);
        }

        return id;
    }

    /// <summary>The attachment's bytes; a user error (-1) naming the id when there is none such.</summary>
    public async Task<byte[]> ReadAsync(string id, CancellationToken cancellationToken)
    {
        // An id is one file name of this folder: never a path that leaves it.
        if (directory is null || id.Length == 0 || id.IndexOfAny(['/', '\\']) >= 0 || id is "." or ".." || !File.Exists(Path.Combine(directory, id)))
        {
            throw new JsonRpcException(JsonRpcErrorCodes.UserError, "Could not find attachment with ID: " + id);
        }

        var path = Path.Combine(directory, id);
        if (!id.StartsWith(ViewOncePrefix, StringComparison.Ordinal))
        {
            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }

        // Claimed by a rename first, so that two calls at once cannot both have it.
        var claimed = path + ".taken-" + Guid.NewGuid().ToString("N");
        try
        {
            File.Move(path, claimed);
        }
        catch (FileNotFoundException)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.UserError, "Could not find attachment with ID: " + id);
        }

        byte[] data;
        try
        {
            data = await File.ReadAllBytesAsync(claimed, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Not handed out: it stays for the next call.
            File.Move(claimed, path);
            throw;
        }

        File.Delete(claimed);
        return data;
    }

    private static string Extension(string? fileName)
    {
        var extension = Path.GetExtension(fileName ?? "");
        return extension.Length is > 1 and <= 10 && extension[1..].All(char.IsAsciiLetterOrDigit) ? extension : "";
    }
}
