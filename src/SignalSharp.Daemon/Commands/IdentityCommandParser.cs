using System.Text.Json;
using SignalSharp.Account.Api;

namespace SignalSharp.Daemon.Commands;

/// <summary>
/// The identity extensions beside the seed's three commands: <c>trust</c> (a recipient and exactly one of
/// <c>trustAllKnownKeys: true</c> or <c>verifiedSafetyNumber</c>) and <c>list_identities</c> (an optional recipient).
/// A malformed recipient is status 2 as for sends; anything else malformed is -1 with a message naming the field.
/// </summary>
internal static class IdentityCommandParser
{
    /// <summary>Whether <paramref name="name"/> is one of these commands; if so, <paramref name="command"/> or <paramref name="fault"/> is set.</summary>
    public static bool TryParse(JsonElement name, JsonElement request, out DaemonCommand? command, out CommandFault fault)
    {
        command = null;
        fault = default;
        if (name.ValueEquals(CommandNames.ListIdentities))
        {
            RecipientAddress? only = null;
            if (CommandParser.TryGetPresent(request, "recipient"u8, out var recipient))
            {
                if (!TryParseRecipient(recipient, out var address, out fault))
                {
                    return true;
                }

                only = address;
            }

            command = new ListIdentitiesCommand(only);
            return true;
        }

        if (!name.ValueEquals(CommandNames.Trust))
        {
            return false;
        }

        if (!CommandParser.TryGetPresent(request, "recipient"u8, out var target))
        {
            fault = new CommandFault(StatusCode.InvalidRecipient, "set \"recipient\" (a phone number or service id) whose identity to trust");
            return true;
        }

        if (!TryParseRecipient(target, out var trusted, out fault))
        {
            return true;
        }

        var all = CommandParser.TryGetPresent(request, "trustAllKnownKeys"u8, out var allElement);
        var verified = CommandParser.TryGetPresent(request, "verifiedSafetyNumber"u8, out var number);
        if (all && allElement.ValueKind != JsonValueKind.True)
        {
            fault = new CommandFault(StatusCode.Unknown, "\"trustAllKnownKeys\" must be true when given");
            return true;
        }

        if (all == verified)
        {
            fault = new CommandFault(StatusCode.Unknown, "set exactly one of \"trustAllKnownKeys\": true or \"verifiedSafetyNumber\"");
            return true;
        }

        if (verified && (number.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(number.GetString())))
        {
            fault = new CommandFault(StatusCode.Unknown, "\"verifiedSafetyNumber\" must be the safety number's digits (a string)");
            return true;
        }

        command = new TrustCommand(trusted, verified ? new TrustVerifiedSafetyNumber(number.GetString()!) : new TrustAllKnownKeys());
        return true;
    }

    private static bool TryParseRecipient(JsonElement recipient, out RecipientAddress address, out CommandFault fault)
    {
        fault = default;
        address = default;
        if (recipient.ValueKind == JsonValueKind.String && RecipientAddress.TryParse(recipient.GetString(), out var parsed))
        {
            address = parsed.Value;
            return true;
        }

        fault = new CommandFault(StatusCode.InvalidNumber, "\"recipient\" is not a phone number ('+' and 7 to 15 digits) or a service id (UUID)");
        return false;
    }
}
