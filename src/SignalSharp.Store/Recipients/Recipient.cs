namespace SignalSharp.Store.Recipients;

/// <summary>
/// Someone the account knows: by ACI (their account), PNI (their number's identity) and/or E.164 number, with
/// what the account has learned of their profile. One person is one row; <see cref="RecipientStore.ResolveAsync"/>
/// merges rows when it learns that identifiers belong together.
/// </summary>
public sealed record Recipient(
    long Id,
    Guid? Aci,
    Guid? Pni,
    string? E164,
    byte[]? ProfileKey,
    string? GivenName,
    string? FamilyName)
{
    /// <summary>The profile name as Signal shows it ("Given Family"), or null when unknown.</summary>
    public string? ProfileName => (GivenName, FamilyName) switch
    {
        (null or "", null or "") => null,
        (var g, null or "") => g,
        (null or "", var f) => f,
        var (g, f) => g + " " + f,
    };
}
