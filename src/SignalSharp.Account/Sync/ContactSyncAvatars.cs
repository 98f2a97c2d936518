using SignalSharp.Account.Avatars;

namespace SignalSharp.Account.Sync;

/// <summary>
/// Keeps the avatars a contact sync carries as files (<c>avatars/contact-&lt;number, else ACI&gt;</c>, 0600): a contact
/// the sync gives an image gets it (replacing any older one); a contact it names without one, or with one over the
/// limit, has its file removed, as the phone no longer shows that image. A complete sync (the whole list) also removes
/// the files of contacts it does not name; a partial one leaves them.
/// </summary>
internal static class ContactSyncAvatars
{
    /// <summary>Writes and removes the files; the number of images written.</summary>
    public static async Task<int> ApplyAsync(string accountDirectory, IReadOnlyList<ContactSyncItem> items, bool complete, CancellationToken cancellationToken)
    {
        var files = new AvatarFiles(accountDirectory);
        var written = 0;
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var entry = item.Entry;
            var path = files.ContactFile(entry.E164, entry.Aci);
            named.Add(Path.GetFileName(path));
            if (entry.E164 is not null && entry.Aci is { } aci)
            {
                // Named by ACI while the phone did not share the number: the number's file supersedes it.
                AvatarFiles.Delete(files.ContactFile(null, aci));
            }

            if (item.Avatar is { Length: > 0 } image)
            {
                await files.WriteAsync(path, image, cancellationToken).ConfigureAwait(false);
                written++;
            }
            else
            {
                AvatarFiles.Delete(path);
            }
        }

        if (complete)
        {
            RemoveUnnamed(files, named);
        }

        return written;
    }

    private static void RemoveUnnamed(AvatarFiles files, HashSet<string> named)
    {
        string[] present;
        try
        {
            present = Directory.GetFiles(files.Folder, "contact-*");
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }

        foreach (var path in present.Where(p => !named.Contains(Path.GetFileName(p)) && !p.EndsWith(".part", StringComparison.Ordinal)))
        {
            AvatarFiles.Delete(path);
        }
    }
}
