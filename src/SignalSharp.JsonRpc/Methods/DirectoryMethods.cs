using System.Text.Json;
using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Dispatch;
using SignalSharp.JsonRpc.Json;
using SignalSharp.JsonRpc.Protocol;

namespace SignalSharp.JsonRpc.Methods;

/// <summary>listGroups, listContacts, listIdentities, trust and sendSyncRequest with signal-cli's parameters and shapes.</summary>
internal sealed class DirectoryMethods(ISignalAccount account)
{
    public async Task<MethodResult> ListGroupsAsync(JsonRpcCall call)
    {
        var only = call.Params.GetStringList("groupId").Select(TargetParser.Group).ToList();
        var groups = await account.ListGroupsAsync(call.CancellationToken).ConfigureAwait(false);
        var json = groups.Where(g => only.Count == 0 || only.Contains(g.Id)).Select(ToJson).ToList();
        return new MethodResult(JsonSerializer.SerializeToNode(json, ListingJsonContext.Default.ListJsonGroup));
    }

    public async Task<MethodResult> ListContactsAsync(JsonRpcCall call)
    {
        var only = call.Params.GetStringList("recipient").Select(TargetParser.Recipient).ToList();
        bool? blocked = call.Params.IsSet("blocked") ? call.Params.GetBool("blocked") : null;
        var name = call.Params.GetString("name");
        var contacts = await account.ListContactsAsync(call.CancellationToken).ConfigureAwait(false);
        var json = contacts
            .Where(c => only.Count == 0 || only.Any(r => r.Value == c.Number || r.Value == c.ServiceId))
            .Where(c => blocked is null || c.Blocked == blocked)
            .Where(c => name is null || c.Name == name || ProfileName(c) == name)
            .Select(ToJson)
            .ToList();
        return new MethodResult(JsonSerializer.SerializeToNode(json, ListingJsonContext.Default.ListJsonContact));
    }

    public async Task<MethodResult> ListIdentitiesAsync(JsonRpcCall call)
    {
        var only = call.Params.GetString("number") is { } number ? TargetParser.Recipient(number) : (RecipientAddress?)null;
        var identities = await account.ListIdentitiesAsync(only, call.CancellationToken).ConfigureAwait(false);
        return new MethodResult(JsonSerializer.SerializeToNode(identities.Select(ToJson).ToList(), ListingJsonContext.Default.ListJsonIdentity));
    }

    /// <summary>trust: signal-cli answers nothing on success and a user error (-1) with its own texts otherwise.</summary>
    public async Task<MethodResult> TrustAsync(JsonRpcCall call)
    {
        var recipient = TargetParser.Recipient(call.Params.GetString("recipient")
            ?? throw new JsonRpcException(JsonRpcErrorCodes.InvalidParams, "Missing parameter recipient"));
        TrustRequest request;
        if (call.Params.GetBool("trustAllKnownKeys"))
        {
            request = new TrustAllKnownKeys();
        }
        else if (call.Params.GetString("verifiedSafetyNumber") is { } safetyNumber)
        {
            request = new TrustVerifiedSafetyNumber(safetyNumber);
        }
        else
        {
            throw new JsonRpcException(JsonRpcErrorCodes.UserError, "You need to specify the fingerprint/safety number you have verified with -v SAFETY_NUMBER");
        }

        try
        {
            await account.TrustAsync(recipient, request, call.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NoKnownIdentityException or SafetyNumberMismatchException)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.UserError, request is TrustAllKnownKeys
                ? "Failed to set the trust for this number, make sure the number is correct."
                : "Failed to set the trust for this number, make sure the number and the fingerprint/safety number are correct.");
        }

        return MethodResult.Empty;
    }

    public async Task<MethodResult> SendSyncRequestAsync(JsonRpcCall call)
    {
        try
        {
            await account.RequestSyncAsync(call.CancellationToken).ConfigureAwait(false);
        }
        catch (SendFailedException e)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.IoError, "Request sync data error: " + e.Message);
        }

        return MethodResult.Empty;
    }

    private static JsonGroup ToJson(GroupSummary group)
    {
        var admins = group.Members.Where(m => m.IsAdmin).Select(m => new JsonGroupMemberAddress(m.Number, m.ServiceId)).ToList();
        return new JsonGroup(
            group.Id.ToBase64(),
            group.Title,
            group.Description,
            group.IsMember,
            group.IsBlocked,
            (int)Math.Min(group.ExpirationSeconds, int.MaxValue),
            [.. group.Members.Select(m => new JsonGroupMember(m.Number, m.ServiceId, m.IsAdmin))],
            [.. group.PendingMembers.Select(Address)],
            [.. group.RequestingMembers.Select(Address)],
            admins,
            [.. group.BannedMembers.Select(Address)],
            Permission(group.AddMemberPermission),
            Permission(group.EditDetailsPermission),
            group.SendOnlyAdmins ? "ONLY_ADMINS" : "EVERY_MEMBER",
            group.InviteLink);
    }

    /// <summary>signal-cli's enum names; a permission the account never learned stays null.</summary>
    private static string? Permission(GroupPermission? permission) => permission switch
    {
        GroupPermission.OnlyAdmins => "ONLY_ADMINS",
        GroupPermission.EveryMember => "EVERY_MEMBER",
        _ => null,
    };

    private static JsonGroupMemberAddress Address(MemberAddress address) => new(address.Number, address.ServiceId);

    private static JsonContact ToJson(ContactSummary contact) => new(
        contact.Number,
        contact.ServiceId,
        null,
        contact.Name,
        null,
        null,
        null,
        null,
        null,
        null,
        contact.Color,
        contact.Archived,
        contact.Blocked,
        false,
        (int)contact.ExpirationTimerSeconds,
        false,
        false,
        contact.ProfileGivenName is null && contact.ProfileFamilyName is null && contact.Profile is null
            ? null
            : new JsonContactProfile(
                contact.Profile?.FetchedAt.ToUnixTimeMilliseconds() ?? 0,
                contact.ProfileGivenName,
                contact.ProfileFamilyName,
                contact.Profile?.About,
                contact.Profile?.AboutEmoji,
                contact.Profile?.HasAvatar ?? false,
                null));

    private static string? ProfileName(ContactSummary contact) =>
        string.Join(' ', new[] { contact.ProfileGivenName, contact.ProfileFamilyName }.Where(p => !string.IsNullOrEmpty(p))) is { Length: > 0 } name ? name : null;

    private static JsonIdentity ToJson(IdentityEntry identity) => new(
        identity.Number,
        identity.ServiceId.ToString(),
        identity.IdentityKey is { } key ? string.Join(' ', key.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture))) : null,
        FormatSafetyNumber(identity.SafetyNumber),
        identity.ScannableSafetyNumber is { } scannable ? Convert.ToBase64String(scannable) : null,
        identity.Trust switch
        {
            IdentityTrust.TrustedVerified => "TRUSTED_VERIFIED",
            IdentityTrust.TrustedUnverified => "TRUSTED_UNVERIFIED",
            _ => "UNTRUSTED",
        },
        identity.AddedAt.ToUnixTimeMilliseconds());

    /// <summary>signal-cli's display form: the digits in twelve groups separated by spaces.</summary>
    private static string FormatSafetyNumber(string digits)
    {
        if (digits.Length % 12 != 0)
        {
            return digits;
        }

        var size = digits.Length / 12;
        return string.Join(' ', Enumerable.Range(0, 12).Select(i => digits.Substring(i * size, size)));
    }
}
