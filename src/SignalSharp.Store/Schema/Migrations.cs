using SignalSharp.Store.Contacts;
using SignalSharp.Store.Conversations;
using SignalSharp.Store.Groups;
using SignalSharp.Store.Inbox;
using SignalSharp.Store.Profiles;
using SignalSharp.Store.Protocol;
using SignalSharp.Store.Recipients;
using SignalSharp.Store.Sent;
using SignalSharp.Store.Settings;
using SignalSharp.Store.Stickers;

namespace SignalSharp.Store.Schema;

/// <summary>
/// The one place that lists every schema step, in order. Each store owns its DDL (a constant beside its code);
/// this list only decides in which version it appears. Never edit a released step: append a new one.
/// </summary>
internal static class Migrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "account settings and protocol stores",
            AccountSettingsStore.Schema
            + OwnIdentityTable.Schema
            + IdentityTable.Schema
            + PreKeyTable.Schema
            + SignedPreKeyTable.Schema
            + KyberPreKeyTable.Schema
            + SessionTable.Schema
            + SenderKeyTable.Schema),
        new(2, "recipients and contacts", RecipientStore.Schema + ContactStore.Schema),
        new(3, "inbox", InboxStore.Schema),
        new(4, "groups and sender key distribution", GroupStore.Schema + SenderKeyShareStore.Schema),
        new(5, "messages held for their attachment downloads", HeldMessageStore.Schema),
        new(6, "sent 1:1 messages kept for resend requests", SendLogStore.Schema),
        new(7, "one-time prekeys remember when the server stopped holding them", PreKeyTable.StaleSchema + KyberPreKeyTable.StaleSchema),
        new(8, "disappearing-messages timers per conversation", ExpirationTimerStore.Schema),
        new(9, "contacts' decrypted profiles", ProfileStore.Schema),
        new(10, "blocked groups", BlockedGroupStore.Schema),
        new(11, "groups' description, timer, access levels, invite link and banned members", GroupStore.DetailsSchema),
        new(12, "sticker packs", StickerPackStore.Schema),
    ];

    public static int LatestVersion => All[^1].Version;
}
