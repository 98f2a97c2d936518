using Google.Protobuf;
using SignalSharp.Crypto;
using SignalSharp.Protocol.Proto.Fingerprints;

namespace SignalSharp.Protocol.Fingerprints;

/// <summary>
/// The QR-code form of a safety number: CombinedFingerprints {1 version, 2 {1 our hash[0..32]}, 3 {1 their hash[0..32]}}.
/// Two phones match when the versions agree and each one's local half equals the other's remote half.
/// </summary>
public sealed class ScannableFingerprint
{
    private readonly byte[] localFingerprint;
    private readonly byte[] remoteFingerprint;

    internal ScannableFingerprint(uint version, byte[] localFingerprint, byte[] remoteFingerprint)
    {
        Version = version;
        this.localFingerprint = localFingerprint;
        this.remoteFingerprint = remoteFingerprint;
    }

    public uint Version { get; }

    /// <summary>The bytes to put in the QR code.</summary>
    public byte[] Serialize() => new CombinedFingerprints
    {
        Version = Version,
        LocalFingerprint = new LogicalFingerprint { Content = ByteString.CopyFrom(localFingerprint) },
        RemoteFingerprint = new LogicalFingerprint { Content = ByteString.CopyFrom(remoteFingerprint) },
    }.ToByteArray();

    /// <summary>Compares the QR payload scanned from the other phone with ours.</summary>
    /// <exception cref="FingerprintVersionMismatchException">the payload has another version.</exception>
    /// <exception cref="FingerprintParsingException">the payload is not a CombinedFingerprints message.</exception>
    public bool Compare(ReadOnlySpan<byte> scanned)
    {
        CombinedFingerprints theirs;
        try
        {
            theirs = CombinedFingerprints.Parser.ParseFrom(scanned.ToArray());
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FingerprintParsingException(e);
        }

        var theirVersion = theirs.HasVersion ? theirs.Version : 0;
        if (theirVersion != Version)
        {
            throw new FingerprintVersionMismatchException(theirVersion, Version);
        }

        var theirLocal = theirs.LocalFingerprint is { HasContent: true } l ? l.Content.Span : default;
        var theirRemote = theirs.RemoteFingerprint is { HasContent: true } r ? r.Content.Span : default;
        var sameLocal = theirs.LocalFingerprint?.HasContent == true && ConstantTime.Equals(theirLocal, remoteFingerprint);
        var sameRemote = theirs.RemoteFingerprint?.HasContent == true && ConstantTime.Equals(theirRemote, localFingerprint);
        return sameLocal & sameRemote;
    }
}
