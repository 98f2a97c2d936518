using Google.Protobuf;
using SignalSharp.Account.Api;
using SignalSharp.Account.Proto.GroupServer;

namespace SignalSharp.Account.Groups.Management;

/// <summary>
/// A group invite link as Signal's apps share it: <c>https://signal.group/#</c> followed by the unpadded base64url of
/// a GroupInviteLink (version 1: the group's master key and the link's password). Whoever holds it can read the
/// group's join info and join (or ask to), so it is shown only to members, never logged.
/// </summary>
internal static class GroupInviteLink
{
    public const string Prefix = "https://signal.group/#";

    /// <summary>The link of a group whose link is on (anyone may join, or ask to), else null (as signal-cli shows none).</summary>
    public static string? UrlOf(byte[] masterKey, byte[]? password, uint linkAccess)
    {
        if (password is not { Length: > 0 } || linkAccess is not (GroupAccess.Any or GroupAccess.Administrator))
        {
            return null;
        }

        var link = new GroupInviteLinkMessage
        {
            ContentsV1 = new() { GroupMasterKey = ByteString.CopyFrom(masterKey), InviteLinkPassword = ByteString.CopyFrom(password) },
        };
        return Prefix + Convert.ToBase64String(link.ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The master key and password a link carries.</summary>
    /// <exception cref="InvalidGroupLinkException">Not a signal.group link, or not one this version understands.</exception>
    public static (byte[] MasterKey, byte[] Password) Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var trimmed = url.Trim();
        if (!trimmed.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && !trimmed.StartsWith("sgnl://signal.group/#", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidGroupLinkException("not a group invite link (https://signal.group/#...)");
        }

        var encoded = trimmed[(trimmed.IndexOf('#', StringComparison.Ordinal) + 1)..].Replace('-', '+').Replace('_', '/');
        GroupInviteLinkMessage link;
        try
        {
            link = GroupInviteLinkMessage.Parser.ParseFrom(Convert.FromBase64String(encoded.PadRight(encoded.Length + (4 - encoded.Length % 4) % 4, '=')));
        }
        catch (Exception e) when (e is FormatException or InvalidProtocolBufferException)
        {
            throw new InvalidGroupLinkException("the group invite link is damaged", e);
        }

        if (link.ContentsV1 is not { GroupMasterKey.Length: 32, InviteLinkPassword.Length: > 0 } contents)
        {
            throw new InvalidGroupLinkException("the group invite link is of an unknown version");
        }

        return (contents.GroupMasterKey.ToByteArray(), contents.InviteLinkPassword.ToByteArray());
    }
}
