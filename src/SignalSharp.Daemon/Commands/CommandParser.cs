using System.Text.Json;
using SignalSharp.Account.Api;

namespace SignalSharp.Daemon.Commands;

/// <summary>
/// Turns a parsed request object into a <see cref="DaemonCommand"/>, or the fault that decides its status, checking
/// in the spec's order: the command (1); exactly one of recipient and groupId (5); their form (2, 6); the content
/// (9, or 11 then 2 for a reaction); attachment data (3). A JSON null counts as an absent field. A field of the wrong
/// JSON type takes the code of the check that owns it; fields without a code of their own (dataMessage, message,
/// remove, timeout, ignoreAttachments) get -1 (UNKNOWN) with a message naming the field.
/// </summary>
internal static class CommandParser
{
    /// <summary>The longest receive_messages wait a client can ask for; longer timeouts are clamped to it.</summary>
    public const int MaxReceiveTimeoutMs = 300_000;

    public const int DefaultReceiveTimeoutMs = 1000;

    /// <param name="extracted">Big attachment values taken out of the command before parsing (see <see cref="LargeBase64Values"/>).</param>
    public static bool TryParse(JsonElement request, out DaemonCommand? command, out CommandFault fault, LargeBase64Values? extracted = null)
    {
        command = null;
        fault = default;
        if (!request.TryGetProperty("command"u8, out var name) || name.ValueKind == JsonValueKind.Null)
        {
            fault = new CommandFault(StatusCode.UnknownCommand, "the request has no \"command\"");
            return false;
        }

        if (name.ValueKind != JsonValueKind.String)
        {
            fault = new CommandFault(StatusCode.UnknownCommand, "\"command\" must be a string");
            return false;
        }

        if (name.ValueEquals(CommandNames.ReceiveMessages))
        {
            return TryParseReceive(request, out command, out fault);
        }

        if (IdentityCommandParser.TryParse(name, request, out command, out fault))
        {
            return command is not null;
        }

        if (ControlCommandParser.IsControlCommand(name))
        {
            return ControlCommandParser.TryParse(name, request, out command, out fault);
        }

        if (PollCommandParser.IsPollCommand(name))
        {
            return PollCommandParser.TryParse(name, request, out command, out fault);
        }

        var isMessage = name.ValueEquals(CommandNames.SendMessage);
        if (!isMessage && !name.ValueEquals(CommandNames.SendReaction))
        {
            fault = new CommandFault(StatusCode.UnknownCommand,
                $"unknown command \"{name.GetString()}\"; known: send_message, send_reaction, receive_messages, trust, list_identities, "
                + "send_remote_delete, send_typing, send_receipt, set_expiration_timer, send_poll_create, send_poll_vote, send_poll_terminate");
            return false;
        }

        if (!TryParseTarget(request, out var target, out fault))
        {
            return false;
        }

        if (isMessage)
        {
            if (!MessageContentParser.TryParse(request, extracted, out var message, out fault))
            {
                return false;
            }

            command = new SendMessageCommand(target, message);
            return true;
        }

        if (!TryParseReaction(request, out var reaction, out fault))
        {
            return false;
        }

        command = new SendReactionCommand(target, reaction);
        return true;
    }

    internal static bool TryParseTarget(JsonElement request, out MessageTarget target, out CommandFault fault)
    {
        target = null!;
        fault = default;
        var hasRecipient = TryGetPresent(request, "recipient"u8, out var recipient);
        var hasGroup = TryGetPresent(request, "groupId"u8, out var group);
        if (hasRecipient == hasGroup)
        {
            fault = new CommandFault(StatusCode.InvalidRecipient, hasRecipient
                ? "set either \"recipient\" or \"groupId\", not both"
                : "set \"recipient\" (a phone number or service id) or \"groupId\"");
            return false;
        }

        if (hasRecipient)
        {
            if (recipient.ValueKind != JsonValueKind.String || !RecipientAddress.TryParse(recipient.GetString(), out var address))
            {
                fault = new CommandFault(StatusCode.InvalidNumber,
                    "\"recipient\" is not a phone number ('+' and 7 to 15 digits) or a service id (UUID)");
                return false;
            }

            target = new RecipientTarget(address.Value);
            return true;
        }

        if (group.ValueKind != JsonValueKind.String || !GroupId.TryParse(group.GetString(), out var groupId))
        {
            fault = new CommandFault(StatusCode.GroupNotFound, "\"groupId\" is not the base64 of a 32-byte group id");
            return false;
        }

        target = new GroupTarget(groupId);
        return true;
    }

    private static bool TryParseReaction(JsonElement request, out OutgoingReaction reaction, out CommandFault fault)
    {
        reaction = null!;
        fault = default;
        if (!TryGetPresent(request, "reaction"u8, out var r) || r.ValueKind != JsonValueKind.Object)
        {
            fault = new CommandFault(StatusCode.MissingReaction, "\"reaction\" must be an object with emoji, author and timestamp");
            return false;
        }

        if (!TryGetPresent(r, "emoji"u8, out var emoji) || emoji.ValueKind != JsonValueKind.String || emoji.ValueEquals(""u8))
        {
            fault = new CommandFault(StatusCode.MissingReaction, "the reaction lacks \"emoji\" (a non-empty string)");
            return false;
        }

        if (!TryGetPresent(r, "author"u8, out var author))
        {
            fault = new CommandFault(StatusCode.MissingReaction, "the reaction lacks \"author\"");
            return false;
        }

        if (!TryGetPresent(r, "timestamp"u8, out var timestamp))
        {
            fault = new CommandFault(StatusCode.MissingReaction, "the reaction lacks \"timestamp\"");
            return false;
        }

        if (timestamp.ValueKind != JsonValueKind.Number || !timestamp.TryGetInt64(out var targetTimestamp) || targetTimestamp <= 0)
        {
            fault = new CommandFault(StatusCode.MissingReaction, "the reaction's \"timestamp\" must be a positive integer (milliseconds)");
            return false;
        }

        if (author.ValueKind != JsonValueKind.String || !RecipientAddress.TryParse(author.GetString(), out var authorAddress))
        {
            fault = new CommandFault(StatusCode.InvalidNumber,
                "the reaction's \"author\" is not a phone number ('+' and 7 to 15 digits) or a service id (UUID)");
            return false;
        }

        var remove = false;
        if (TryGetPresent(r, "remove"u8, out var removeElement))
        {
            if (removeElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                fault = new CommandFault(StatusCode.Unknown, "the reaction's \"remove\" must be true or false");
                return false;
            }

            remove = removeElement.GetBoolean();
        }

        reaction = new OutgoingReaction(emoji.GetString()!, authorAddress.Value, targetTimestamp, remove);
        return true;
    }

    private static bool TryParseReceive(JsonElement request, out DaemonCommand? command, out CommandFault fault)
    {
        command = null;
        fault = default;
        var timeoutMs = (double)DefaultReceiveTimeoutMs;
        if (TryGetPresent(request, "timeout"u8, out var timeout))
        {
            if (timeout.ValueKind != JsonValueKind.Number || !timeout.TryGetDouble(out timeoutMs) || timeoutMs < 0)
            {
                fault = new CommandFault(StatusCode.Unknown, "\"timeout\" must be a non-negative number of milliseconds");
                return false;
            }
        }

        var ignoreAttachments = false;
        if (TryGetPresent(request, "ignoreAttachments"u8, out var ignore))
        {
            if (ignore.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                fault = new CommandFault(StatusCode.Unknown, "\"ignoreAttachments\" must be true or false");
                return false;
            }

            ignoreAttachments = ignore.GetBoolean();
        }

        var clamped = Math.Min(Math.Floor(timeoutMs), MaxReceiveTimeoutMs);
        command = new ReceiveMessagesCommand(new ReceiveRequest(TimeSpan.FromMilliseconds(clamped), ignoreAttachments));
        return true;
    }

    /// <summary>The property when it is present and not JSON null.</summary>
    internal static bool TryGetPresent(JsonElement obj, ReadOnlySpan<byte> name, out JsonElement value) =>
        obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
}
