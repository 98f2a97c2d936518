using System.Text.Json;
using SignalSharp.Account.Api;

namespace SignalSharp.Daemon.Commands;

/// <summary>
/// The send extensions that carry no text: <c>send_remote_delete</c> (recipient or groupId, <c>targetTimestamp</c>),
/// <c>send_typing</c> (recipient or groupId, <c>stop</c> true for "stopped typing"), <c>send_receipt</c> (recipient,
/// <c>type</c> "read", "viewed" or "delivery", <c>timestamps</c> of the messages acknowledged) and
/// <c>set_expiration_timer</c> (recipient or groupId, <c>expiration</c> in seconds, 0 for off). Recipient and group
/// faults take send_message's codes; anything else malformed is -1 with a message naming the field.
/// </summary>
internal static class ControlCommandParser
{
    public static bool IsControlCommand(JsonElement name) =>
        name.ValueEquals(CommandNames.SendRemoteDelete) || name.ValueEquals(CommandNames.SendTyping)
        || name.ValueEquals(CommandNames.SendReceipt) || name.ValueEquals(CommandNames.SetExpirationTimer);

    public static bool TryParse(JsonElement name, JsonElement request, out DaemonCommand? command, out CommandFault fault)
    {
        command = null;
        if (name.ValueEquals(CommandNames.SendReceipt))
        {
            return TryParseReceipt(request, out command, out fault);
        }

        if (!CommandParser.TryParseTarget(request, out var target, out fault))
        {
            return false;
        }

        if (name.ValueEquals(CommandNames.SendRemoteDelete))
        {
            if (!CommandParser.TryGetPresent(request, "targetTimestamp"u8, out var stamp) || !TryGetTimestamp(stamp, out var targetTimestamp))
            {
                fault = new CommandFault(StatusCode.Unknown, "\"targetTimestamp\" (the deleted message's timestamp) must be a positive integer");
                return false;
            }

            command = new RemoteDeleteCommand(target, targetTimestamp);
            return true;
        }

        if (name.ValueEquals(CommandNames.SetExpirationTimer))
        {
            if (!CommandParser.TryGetPresent(request, "expiration"u8, out var expiration) || !expiration.TryGetInt32(out var seconds) || seconds < 0)
            {
                fault = new CommandFault(StatusCode.Unknown, "\"expiration\" must be a number of seconds (0 turns disappearing messages off)");
                return false;
            }

            command = new ExpirationTimerCommand(target, seconds);
            return true;
        }

        var stop = false;
        if (CommandParser.TryGetPresent(request, "stop"u8, out var stopElement))
        {
            if (stopElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                fault = new CommandFault(StatusCode.Unknown, "\"stop\" must be true or false");
                return false;
            }

            stop = stopElement.GetBoolean();
        }

        command = new TypingCommand(target, Started: !stop);
        return true;
    }

    private static bool TryParseReceipt(JsonElement request, out DaemonCommand? command, out CommandFault fault)
    {
        command = null;
        fault = default;
        if (!CommandParser.TryGetPresent(request, "recipient"u8, out var recipient)
            || recipient.ValueKind != JsonValueKind.String || !RecipientAddress.TryParse(recipient.GetString(), out var address))
        {
            fault = new CommandFault(StatusCode.InvalidNumber, "a receipt needs \"recipient\": a phone number or service id");
            return false;
        }

        var kind = ReceiptKind.Read;
        if (CommandParser.TryGetPresent(request, "type"u8, out var type))
        {
            kind = type.ValueKind != JsonValueKind.String ? (ReceiptKind)(-1) : type.GetString() switch
            {
                "read" => ReceiptKind.Read,
                "viewed" => ReceiptKind.Viewed,
                "delivery" => ReceiptKind.Delivery,
                _ => (ReceiptKind)(-1),
            };
            if (!Enum.IsDefined(kind))
            {
                fault = new CommandFault(StatusCode.Unknown, "\"type\" must be \"read\", \"viewed\" or \"delivery\"");
                return false;
            }
        }

        var timestamps = new List<long>();
        if (CommandParser.TryGetPresent(request, "timestamps"u8, out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                if (!TryGetTimestamp(item, out var timestamp))
                {
                    timestamps.Clear();
                    break;
                }

                timestamps.Add(timestamp);
            }
        }

        if (timestamps.Count == 0)
        {
            fault = new CommandFault(StatusCode.Unknown, "\"timestamps\" must be a non-empty array of the acknowledged messages' timestamps");
            return false;
        }

        command = new ReceiptCommand(address.Value, kind, timestamps);
        return true;
    }

    internal static bool TryGetTimestamp(JsonElement element, out long timestamp)
    {
        timestamp = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out timestamp) && timestamp > 0;
    }
}
