namespace SignalSharp.Protocol.Fingerprints;

/// <summary>
/// The 60-digit safety number: each identity's hash gives 30 digits (six big-endian 40-bit chunks mod 100000), and
/// the smaller half comes first so that both parties see the same string.
/// </summary>
public sealed class DisplayableFingerprint
{
    private DisplayableFingerprint(string local, string remote)
    {
        LocalDigits = local;
        RemoteDigits = remote;
    }

    /// <summary>Our 30 digits.</summary>
    public string LocalDigits { get; }

    /// <summary>Their 30 digits.</summary>
    public string RemoteDigits { get; }

    /// <summary>The 60 digits to display.</summary>
    public string Value => string.CompareOrdinal(LocalDigits, RemoteDigits) < 0 ? LocalDigits + RemoteDigits : RemoteDigits + LocalDigits;

    public override string ToString() => Value;

    internal static DisplayableFingerprint FromHashes(ReadOnlySpan<byte> local, ReadOnlySpan<byte> remote) => new(Encode(local), Encode(remote));

    private static string Encode(ReadOnlySpan<byte> hash)
    {
        Span<char> digits = stackalloc char[30];
        for (var chunk = 0; chunk < 6; chunk++)
        {
            ulong value = 0;
            for (var i = 0; i < 5; i++)
            {
                value = (value << 8) | hash[(chunk * 5) + i];
            }

            var number = value % 100000;
            for (var d = 4; d >= 0; d--)
            {
                digits[(chunk * 5) + d] = (char)('0' + (int)(number % 10));
                number /= 10;
            }
        }

        return new string(digits);
    }
}
