using SignalSharp.Account.Api;
using SignalSharp.Service.Stickers;

namespace SignalSharp.Account.Stickers;

/// <summary>
/// A sticker pack's link: <c>https://signal.art/addstickers/#pack_id=HEX&amp;pack_key=HEX</c> (the form Signal's
/// apps share; the key rides in the fragment) or <c>sgnl://addstickers/?pack_id=HEX&amp;pack_key=HEX</c>.
/// </summary>
internal static class StickerPackLink
{
    /// <summary>The pack id (16 bytes) and key (32 bytes) the link names.</summary>
    /// <exception cref="InvalidStickerPackLinkException">Anything else.</exception>
    public static (byte[] PackId, byte[] PackKey) Parse(string link)
    {
        if (string.IsNullOrWhiteSpace(link) || !Uri.TryCreate(link.Trim(), UriKind.Absolute, out var uri))
        {
            throw new InvalidStickerPackLinkException("not a URI");
        }

        string parameters;
        if (uri.Scheme == Uri.UriSchemeHttps && uri.Host.Equals("signal.art", StringComparison.OrdinalIgnoreCase)
            && uri.AbsolutePath.TrimEnd('/') == "/addstickers")
        {
            parameters = uri.Fragment.TrimStart('#');
        }
        else if (uri.Scheme.Equals("sgnl", StringComparison.OrdinalIgnoreCase) && uri.Host.Equals("addstickers", StringComparison.OrdinalIgnoreCase))
        {
            parameters = uri.Query.TrimStart('?');
        }
        else
        {
            throw new InvalidStickerPackLinkException("expected https://signal.art/addstickers/#pack_id=…&pack_key=…");
        }

        string? id = null;
        string? key = null;
        foreach (var pair in parameters.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var (name, value) = equals < 0 ? (pair, "") : (pair[..equals], pair[(equals + 1)..]);
            if (name == "pack_id")
            {
                id = value;
            }
            else if (name == "pack_key")
            {
                key = value;
            }
        }

        return (Hex(id, "pack_id", StickerCipher.PackIdLength), Hex(key, "pack_key", StickerCipher.PackKeyLength));
    }

    /// <summary>Decodes a pack id given as hex (the form sticker links and received messages use).</summary>
    public static bool TryPackId(string hex, out byte[] packId)
    {
        packId = [];
        if (hex.Length != StickerCipher.PackIdLength * 2 || !hex.All(Uri.IsHexDigit))
        {
            return false;
        }

        packId = Convert.FromHexString(hex);
        return true;
    }

    private static byte[] Hex(string? value, string name, int length)
    {
        if (value is null)
        {
            throw new InvalidStickerPackLinkException($"{name} is missing");
        }

        if (value.Length != length * 2 || !value.All(Uri.IsHexDigit))
        {
            throw new InvalidStickerPackLinkException($"{name} must be {length * 2} hex digits");
        }

        return Convert.FromHexString(value);
    }
}
