namespace SignalSharp.Service.Attachments;

/// <summary>
/// An attachment's MIME type: from its first bytes when they are a known signature, else from the file name's
/// extension, else <c>application/octet-stream</c>. Magic bytes win because file names from users lie more often.
/// </summary>
public static class ContentTypes
{
    public const string OctetStream = "application/octet-stream";

    /// <summary>How many leading bytes <see cref="Detect"/> looks at.</summary>
    public const int SniffLength = 16;

    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png", [".jpg"] = "image/jpeg", [".jpeg"] = "image/jpeg", [".gif"] = "image/gif",
        [".webp"] = "image/webp", [".bmp"] = "image/bmp", [".heic"] = "image/heic", [".heif"] = "image/heif",
        [".tif"] = "image/tiff", [".tiff"] = "image/tiff", [".svg"] = "image/svg+xml", [".avif"] = "image/avif",
        [".pdf"] = "application/pdf", [".zip"] = "application/zip", [".gz"] = "application/gzip",
        [".json"] = "application/json", [".xml"] = "application/xml",
        [".txt"] = "text/plain", [".csv"] = "text/csv", [".html"] = "text/html", [".htm"] = "text/html",
        [".mp4"] = "video/mp4", [".m4v"] = "video/mp4", [".mov"] = "video/quicktime", [".webm"] = "video/webm",
        [".mkv"] = "video/x-matroska", [".3gp"] = "video/3gpp",
        [".mp3"] = "audio/mpeg", [".m4a"] = "audio/mp4", [".aac"] = "audio/aac", [".ogg"] = "audio/ogg",
        [".oga"] = "audio/ogg", [".opus"] = "audio/ogg", [".wav"] = "audio/wav", [".flac"] = "audio/flac",
        [".doc"] = "application/msword",
        [".docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        [".xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        [".pptx"] = "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    };

    /// <param name="head">The first bytes of the file (up to <see cref="SniffLength"/> are used).</param>
    public static string Detect(ReadOnlySpan<byte> head, string? fileName)
    {
        var fromMagic = FromMagic(head);
        if (fromMagic is not null)
        {
            return fromMagic;
        }

        var extension = Path.GetExtension(fileName ?? "");
        return extension.Length > 1 && ByExtension.TryGetValue(extension, out var byName) ? byName : OctetStream;
    }

    /// <summary>Sniffs a seekable stream without moving it.</summary>
    public static string Detect(Stream seekable, string? fileName)
    {
        var start = seekable.Position;
        var head = new byte[SniffLength];
        var length = seekable.ReadAtLeast(head, SniffLength, throwOnEndOfStream: false);
        seekable.Position = start;
        return Detect(head.AsSpan(0, length), fileName);
    }

    private static string? FromMagic(ReadOnlySpan<byte> h)
    {
        if (Has(h, [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }

        if (Has(h, [0xFF, 0xD8, 0xFF]))
        {
            return "image/jpeg";
        }

        if (h.StartsWith("GIF87a"u8) || h.StartsWith("GIF89a"u8))
        {
            return "image/gif";
        }

        if (h.Length >= 12 && h.StartsWith("RIFF"u8))
        {
            var form = h.Slice(8, 4);
            if (form.SequenceEqual("WEBP"u8))
            {
                return "image/webp";
            }

            if (form.SequenceEqual("WAVE"u8))
            {
                return "audio/wav";
            }

            if (form.SequenceEqual("AVI "u8))
            {
                return "video/x-msvideo";
            }
        }

        if (h.StartsWith("%PDF-"u8))
        {
            return "application/pdf";
        }

        if (h.Length >= 12 && h.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            return FromIsoBrand(h.Slice(8, 4));
        }

        if (h.StartsWith("OggS"u8))
        {
            return "audio/ogg";
        }

        if (h.StartsWith("fLaC"u8))
        {
            return "audio/flac";
        }

        if (h.StartsWith("ID3"u8))
        {
            return "audio/mpeg";
        }

        if (Has(h, [0x1A, 0x45, 0xDF, 0xA3]))
        {
            return "video/webm";
        }

        if (h.StartsWith("PK\u0003\u0004"u8) || h.StartsWith("PK\u0005\u0006"u8))
        {
            return "application/zip";
        }

        if (Has(h, [0x1F, 0x8B]))
        {
            return "application/gzip";
        }

        if (h.StartsWith("BM"u8) && h.Length >= 14)
        {
            return "image/bmp";
        }

        if (h.StartsWith("II*\0"u8) || h.StartsWith("MM\0*"u8))
        {
            return "image/tiff";
        }

        return null;
    }

    private static bool Has(ReadOnlySpan<byte> head, ReadOnlySpan<byte> magic) => head.StartsWith(magic);

    private static string FromIsoBrand(ReadOnlySpan<byte> brand)
    {
        if (brand.SequenceEqual("qt  "u8))
        {
            return "video/quicktime";
        }

        if (brand.SequenceEqual("M4A "u8))
        {
            return "audio/mp4";
        }

        if (brand.SequenceEqual("heic"u8) || brand.SequenceEqual("heix"u8))
        {
            return "image/heic";
        }

        if (brand.SequenceEqual("mif1"u8) || brand.SequenceEqual("msf1"u8))
        {
            return "image/heif";
        }

        if (brand.SequenceEqual("avif"u8))
        {
            return "image/avif";
        }

        if (brand.StartsWith("3gp"u8))
        {
            return "video/3gpp";
        }

        return "video/mp4";
    }
}
