using System.Diagnostics.CodeAnalysis;

namespace SignalSharp.Account.Api;

public enum RecipientKind
{
    /// <summary>An E.164 phone number: '+' then 7 to 15 digits.</summary>
    PhoneNumber,

    /// <summary>A Signal ACI service id: a UUID in its canonical lower-case form.</summary>
    Aci,
}

/// <summary>A person the daemon can address: by phone number or by ACI service id. Only valid forms exist.</summary>
public readonly record struct RecipientAddress
{
    private RecipientAddress(RecipientKind kind, string value)
    {
        Kind = kind;
        Value = value;
    }

    public RecipientKind Kind { get; }

    /// <summary>"+4366412345678" or "0c9d…-…" (lower case).</summary>
    public string Value { get; }

    public static RecipientAddress PhoneNumber(string e164) =>
        IsE164(e164) ? new RecipientAddress(RecipientKind.PhoneNumber, e164)
                     : throw new ArgumentException("not an E.164 phone number", nameof(e164));

    public static RecipientAddress Aci(Api.Aci aci) =>
        aci.Uuid == Guid.Empty ? throw new ArgumentException("the nil UUID is no service id", nameof(aci))
                               : new RecipientAddress(RecipientKind.Aci, aci.ToString());

    /// <summary>The ACI this address names, or null for a phone number.</summary>
    public Api.Aci? AsAci => Kind == RecipientKind.Aci ? Api.Aci.Parse(Value) : null;

    /// <summary>Accepts an E.164 number or a UUID in the 8-4-4-4-12 hex form (any case), optionally prefixed "ACI:".</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out RecipientAddress? address)
    {
        address = null;
        if (text is null)
        {
            return false;
        }

        if (IsE164(text))
        {
            address = new RecipientAddress(RecipientKind.PhoneNumber, text);
            return true;
        }

        // Besides the service id string, the daemon has always taken an "ACI:" prefix (any case).
        var uuid = text.StartsWith("ACI:", StringComparison.OrdinalIgnoreCase) ? text[4..] : text;
        if (Api.Aci.TryParse(uuid, out var aci) && aci.Uuid != Guid.Empty)
        {
            address = Aci(aci);
            return true;
        }

        return false;
    }

    public static bool IsE164(string text)
    {
        if (text.Length is < 8 or > 16 || text[0] != '+')
        {
            return false;
        }

        foreach (var c in text.AsSpan(1))
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => Value ?? "";
}
