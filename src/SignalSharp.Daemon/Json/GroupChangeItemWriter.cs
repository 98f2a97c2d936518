using System.Text.Json;
using SignalSharp.Account.Api;

namespace SignalSharp.Daemon.Json;

/// <summary>
/// A group change item of receive_messages: <c>{"type":"group_change","timestamp","sender","senderServiceId","groupId",
/// "revision","groupName","changes":[{"kind","member","memberServiceId","value"}]}</c>, the sender being the change's author.
/// </summary>
internal static class GroupChangeItemWriter
{
    public static void Write(Utf8JsonWriter json, ReceivedGroupChange change)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, "group_change"u8);
        json.WriteNumber("timestamp"u8, change.Timestamp);
        json.WriteString("sender"u8, change.Author);
        if (change.AuthorServiceId is { } serviceId)
        {
            json.WriteString("senderServiceId"u8, serviceId);
        }

        json.WriteString("groupId"u8, change.GroupId.ToBase64());
        json.WriteNumber("revision"u8, change.Revision);
        if (change.GroupName is { } name)
        {
            json.WriteString("groupName"u8, name);
        }

        json.WriteStartArray("changes"u8);
        foreach (var detail in change.Changes)
        {
            json.WriteStartObject();
            json.WriteString("kind"u8, detail.Kind);
            if (detail.Member is { } member)
            {
                json.WriteString("member"u8, member);
            }

            if (detail.MemberServiceId is { } memberServiceId)
            {
                json.WriteString("memberServiceId"u8, memberServiceId);
            }

            if (detail.Value is { } value)
            {
                json.WriteString("value"u8, value);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
