using System.Diagnostics.CodeAnalysis;

namespace SignalSharp.Account.Api;

/// <summary>Which of an account's two identifiers a <see cref="ServiceId"/> is; the value is its binary type byte.</summary>
public enum ServiceIdKind : byte
{
    /// <summary>The account identity: stable across number changes.</summary>
    Aci = 0,

    /// <summary>The phone number identity.</summary>
    Pni = 1,
}

/// <summary>
/// A Signal service id: an account's ACI or PNI, a kind and a UUID. Its string is the lower-case UUID for an ACI and
/// <c>PNI:</c> then the UUID for a PNI; its fixed-width binary is 17 bytes, the kind's type byte then the UUID
/// (big-endian); its short binary leaves the type byte out for an ACI. The forms and what they accept are
/// libsignal's (checked against it in the tests).
/// </summary>
public readonly record struct ServiceId
{
    private const string PniPrefix = "PNI:";
    private const int UuidLength = 16;

    /// <summary>Length of the fixed-width binary form.</summary>
    public const int FixedWidthBinaryLength = 1 + UuidLength;

    private ServiceId(ServiceIdKind kind, Guid uuid)
    {
        Kind = kind;
        Uuid = uuid;
    }

    public ServiceIdKind Kind { get; }

    public Guid Uuid { get; }

    public bool IsAci => Kind == ServiceIdKind.Aci;

    public bool IsPni => Kind == ServiceIdKind.Pni;

    public static ServiceId Of(ServiceIdKind kind, Guid uuid) =>
        Enum.IsDefined(kind) ? new ServiceId(kind, uuid) : throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a service id kind");

    /// <summary>
    /// Reads a service id string: a UUID in its hyphenated 8-4-4-4-12 form (either case) for an ACI, <c>PNI:</c> (upper
    /// case) then one for a PNI. Nothing else: no <c>ACI:</c> prefix, braces, missing hyphens or surrounding spaces.
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out ServiceId serviceId)
    {
        serviceId = default;
        if (text is null)
        {
            return false;
        }

        var kind = text.StartsWith(PniPrefix, StringComparison.Ordinal) ? ServiceIdKind.Pni : ServiceIdKind.Aci;
        var uuid = kind == ServiceIdKind.Pni ? text.AsSpan(PniPrefix.Length) : text.AsSpan();
        if (uuid.Length != 36 || !Guid.TryParseExact(uuid, "D", out var parsed))
        {
            return false;
        }

        serviceId = new ServiceId(kind, parsed);
        return true;
    }

    /// <exception cref="FormatException"><paramref name="text"/> is not a service id string.</exception>
    public static ServiceId Parse(string text) =>
        TryParse(text, out var serviceId) ? serviceId : throw new FormatException("not a service id string");

    /// <summary>Reads the fixed-width binary form: exactly 17 bytes, type byte 0 (ACI) or 1 (PNI).</summary>
    public static bool TryParseFixedWidthBinary(ReadOnlySpan<byte> bytes, out ServiceId serviceId)
    {
        serviceId = default;
        if (bytes.Length != FixedWidthBinaryLength || bytes[0] > (byte)ServiceIdKind.Pni)
        {
            return false;
        }

        serviceId = new ServiceId((ServiceIdKind)bytes[0], new Guid(bytes[1..], bigEndian: true));
        return true;
    }

    /// <summary>Reads the short binary form: 16 bytes for an ACI, or 17 with type byte 1 for a PNI (an ACI never carries its type byte).</summary>
    public static bool TryParseBinary(ReadOnlySpan<byte> bytes, out ServiceId serviceId)
    {
        serviceId = default;
        if (bytes.Length == UuidLength)
        {
            serviceId = new ServiceId(ServiceIdKind.Aci, new Guid(bytes, bigEndian: true));
            return true;
        }

        return bytes.Length == FixedWidthBinaryLength && bytes[0] == (byte)ServiceIdKind.Pni && TryParseFixedWidthBinary(bytes, out serviceId);
    }

    public byte[] ToFixedWidthBinary()
    {
        var bytes = new byte[FixedWidthBinaryLength];
        bytes[0] = (byte)Kind;
        Uuid.TryWriteBytes(bytes.AsSpan(1), bigEndian: true, out _);
        return bytes;
    }

    public byte[] ToBinary() => IsAci ? Uuid.ToByteArray(bigEndian: true) : ToFixedWidthBinary();

    /// <summary>The service id string: <c>0c9d…</c> for an ACI, <c>PNI:0c9d…</c> for a PNI (lower-case UUID).</summary>
    public override string ToString() => IsAci ? Uuid.ToString("D") : PniPrefix + Uuid.ToString("D");

    public static implicit operator ServiceId(Aci aci) => new(ServiceIdKind.Aci, aci.Uuid);

    public static implicit operator ServiceId(Pni pni) => new(ServiceIdKind.Pni, pni.Uuid);
}

/// <summary>An account identity (ACI) service id; its string is the lower-case UUID.</summary>
public readonly record struct Aci(Guid Uuid)
{
    /// <summary>Reads an ACI's service id string (a PNI's does not parse here).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Aci aci)
    {
        var parsed = ServiceId.TryParse(text, out var serviceId) && serviceId.IsAci;
        aci = parsed ? new Aci(serviceId.Uuid) : default;
        return parsed;
    }

    /// <exception cref="FormatException"><paramref name="text"/> is not an ACI's service id string.</exception>
    public static Aci Parse(string text) => TryParse(text, out var aci) ? aci : throw new FormatException("not an ACI service id string");

    public override string ToString() => ((ServiceId)this).ToString();
}

/// <summary>A phone number identity (PNI) service id; its string is <c>PNI:</c> then the lower-case UUID.</summary>
public readonly record struct Pni(Guid Uuid)
{
    /// <summary>Reads a PNI's service id string (<c>PNI:</c> then the UUID).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Pni pni)
    {
        var parsed = ServiceId.TryParse(text, out var serviceId) && serviceId.IsPni;
        pni = parsed ? new Pni(serviceId.Uuid) : default;
        return parsed;
    }

    /// <exception cref="FormatException"><paramref name="text"/> is not a PNI's service id string.</exception>
    public static Pni Parse(string text) => TryParse(text, out var pni) ? pni : throw new FormatException("not a PNI service id string");

    public override string ToString() => ((ServiceId)this).ToString();
}
