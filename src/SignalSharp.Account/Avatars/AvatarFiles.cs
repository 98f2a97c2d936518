namespace SignalSharp.Account.Avatars;

/// <summary>
/// Where an account keeps the avatars it downloaded: the folder <c>avatars</c> of the account's directory (0700),
/// one file per contact or group named as signal-cli names them (<c>profile-&lt;number, else ACI&gt;</c> for a profile
/// avatar, <c>contact-&lt;number, else ACI&gt;</c> for the one the phone's contact list gives, <c>group-&lt;group id in base64 with '/' as '_'&gt;</c>), each 0600. A file is written whole under a temporary
/// name and then moved into place, so a reader never sees half an image.
/// </summary>
internal sealed class AvatarFiles(string accountDirectory)
{
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string Folder { get; } = Path.Combine(accountDirectory, "avatars");

    /// <summary>A contact's profile avatar: by number when the account knows it, else by ACI (signal-cli's legacy identifier).</summary>
    public string ProfileFile(string? number, Guid aci) => Path.Combine(Folder, "profile-" + (number ?? aci.ToString()));

    /// <summary>A contact's avatar from the phone's contact list, named like <see cref="ProfileFile"/>.</summary>
    public string ContactFile(string? number, Guid? aci) =>
        Path.Combine(Folder, "contact-" + (number ?? aci?.ToString() ?? throw new ArgumentException("a contact has a number or an ACI")));

    public string GroupFile(ReadOnlySpan<byte> groupId) => Path.Combine(Folder, "group-" + Convert.ToBase64String(groupId).Replace('/', '_'));

    /// <summary>The largest avatar image taken from a file or the network (Signal's apps scale theirs far below this).</summary>
    public const int MaxImageBytes = 10 * 1024 * 1024;

    /// <summary>
    /// The largest group avatar image: Signal's group server signs upload forms for at most 3 MiB, which holds the
    /// image with its blob framing and the cipher's nonce and tag.
    /// </summary>
    public const int MaxGroupImageBytes = (3 * 1024 * 1024) - 64;

    /// <summary>An image file the user named as an avatar.</summary>
    /// <exception cref="Api.InvalidAvatarException">Missing, unreadable, empty or over <paramref name="maxBytes"/>.</exception>
    public static async Task<byte[]> ReadImageAsync(string path, int maxBytes, CancellationToken cancellationToken)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.Length == 0 || info.Length > maxBytes)
            {
                throw new Api.InvalidAvatarException($"the avatar must be an image file of 1 to {maxBytes} bytes: {path}");
            }

            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new Api.InvalidAvatarException($"the avatar file cannot be read: {e.Message}");
        }
    }

    public async Task WriteAsync(string path, ReadOnlyMemory<byte> image, CancellationToken cancellationToken)
    {
        EnsureFolder();
        var temporary = path + ".part";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFile;
        }

        var stream = new FileStream(temporary, options);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(image, cancellationToken).ConfigureAwait(false);
        }

        if (!OperatingSystem.IsWindows())
        {
            // A .part left by a stopped process keeps its old mode through FileMode.Create: set it.
            File.SetUnixFileMode(temporary, PrivateFile);
        }

        File.Move(temporary, path, overwrite: true);
    }

    public static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind: the next download replaces it.
        }
    }

    private void EnsureFolder()
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(Folder);
            return;
        }

        Directory.CreateDirectory(Folder, DirectoryMode);
        File.SetUnixFileMode(Folder, DirectoryMode);
    }
}
