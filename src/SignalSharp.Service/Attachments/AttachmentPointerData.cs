using Google.Protobuf;
using SignalSharp.Service.Proto;

namespace SignalSharp.Service.Attachments;

/// <summary>
/// What a DataMessage's AttachmentPointer says about one attachment: where it lives on which CDN, how to decrypt it
/// and what it is. <see cref="ToProtobuf"/> gives the serialized <c>signalservice.AttachmentPointer</c> to embed in a
/// message (field 7 of DataMessage); <see cref="FromProtobuf"/> reads one back.
/// </summary>
public sealed record AttachmentPointerData
{
    public required int CdnNumber { get; init; }

    /// <summary>The object's key on CDN 2 and 3 (and on the mock's CDN 0).</summary>
    public string? CdnKey { get; init; }

    /// <summary>The legacy numeric id on CDN 0.</summary>
    public ulong? CdnId { get; init; }

    /// <summary>64 bytes: AES-256 key ‖ HMAC-SHA256 key.</summary>
    public required byte[] Key { get; init; }

    /// <summary>SHA-256 of the encrypted blob as uploaded.</summary>
    public required byte[] Digest { get; init; }

    /// <summary>The plaintext length (before padding).</summary>
    public required long Size { get; init; }

    public string? ContentType { get; init; }

    public string? FileName { get; init; }

    /// <summary>Milliseconds since the Unix epoch; 0 when absent.</summary>
    public ulong UploadTimestamp { get; init; }

    public uint Width { get; init; }

    public uint Height { get; init; }

    public string? Caption { get; init; }

    public uint Flags { get; init; }

    /// <summary>The object's path relative to its CDN's base URL.</summary>
    public string CdnPath => CdnNumber switch
    {
        0 when CdnKey is not null => "attachments/" + Uri.EscapeDataString(CdnKey),
        0 when CdnId is not null => "attachments/" + CdnId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ when CdnKey is not null => "attachments/" + Uri.EscapeDataString(CdnKey),
        _ => throw new InvalidAttachmentPointerException($"CDN {CdnNumber} needs a cdnKey"),
    };

    public byte[] ToProtobuf()
    {
        var pointer = new AttachmentPointer
        {
            CdnNumber = (uint)CdnNumber,
            Key = ByteString.CopyFrom(Key),
            Digest = ByteString.CopyFrom(Digest),
            Size = checked((uint)Size),
        };
        if (CdnKey is not null)
        {
            pointer.CdnKey = CdnKey;
        }
        else if (CdnId is not null)
        {
            pointer.CdnId = CdnId.Value;
        }

        if (ContentType is not null)
        {
            pointer.ContentType = ContentType;
        }

        if (FileName is not null)
        {
            pointer.FileName = FileName;
        }

        if (UploadTimestamp != 0)
        {
            pointer.UploadTimestamp = UploadTimestamp;
        }

        if (Width != 0)
        {
            pointer.Width = Width;
        }

        if (Height != 0)
        {
            pointer.Height = Height;
        }

        if (Caption is not null)
        {
            pointer.Caption = Caption;
        }

        if (Flags != 0)
        {
            pointer.Flags = Flags;
        }

        return pointer.ToByteArray();
    }

    /// <exception cref="InvalidAttachmentPointerException">Not a pointer, or one without key, digest or location.</exception>
    public static AttachmentPointerData FromProtobuf(ReadOnlySpan<byte> bytes)
    {
        AttachmentPointer pointer;
        try
        {
            pointer = AttachmentPointer.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidAttachmentPointerException("not an AttachmentPointer: " + e.Message);
        }

        if (pointer.Key.Length != AttachmentCipher.KeyLength)
        {
            throw new InvalidAttachmentPointerException($"key of {pointer.Key.Length} bytes");
        }

        if (pointer.Digest.Length != AttachmentCipher.DigestLength)
        {
            throw new InvalidAttachmentPointerException($"digest of {pointer.Digest.Length} bytes");
        }

        if (pointer.AttachmentIdentifierCase == AttachmentPointer.AttachmentIdentifierOneofCase.None)
        {
            throw new InvalidAttachmentPointerException("neither cdnId nor cdnKey");
        }

        return new AttachmentPointerData
        {
            CdnNumber = (int)pointer.CdnNumber,
            CdnKey = pointer.HasCdnKey ? pointer.CdnKey : null,
            CdnId = pointer.HasCdnId ? pointer.CdnId : null,
            Key = pointer.Key.ToByteArray(),
            Digest = pointer.Digest.ToByteArray(),
            Size = pointer.Size,
            ContentType = pointer.HasContentType ? pointer.ContentType : null,
            FileName = pointer.HasFileName ? pointer.FileName : null,
            UploadTimestamp = pointer.UploadTimestamp,
            Width = pointer.Width,
            Height = pointer.Height,
            Caption = pointer.HasCaption ? pointer.Caption : null,
            Flags = pointer.Flags,
        };
    }
}
