namespace SignalSharp.Protocol.Messages;

/// <summary>The version byte shared by SignalMessage and PreKeySignalMessage: (message version &lt;&lt; 4) | current version.</summary>
internal static class MessageVersion
{
    /// <summary>PQXDH + SPQR sessions; the only version this implementation creates.</summary>
    public const byte Current = 4;

    /// <summary>Oldest version that still parses (processing X3DH sessions is refused later).</summary>
    public const byte Oldest = 3;

    public static byte VersionByte(byte sessionVersion) => (byte)((sessionVersion << 4) | Current);

    /// <summary>Reads the high nibble and rejects versions outside 3..4 the way libsignal does.</summary>
    public static byte Parse(byte versionByte)
    {
        var version = versionByte >> 4;
        if (version is < Oldest or > Current)
        {
            throw new InvalidMessageVersionException(version);
        }

        return (byte)version;
    }
}
