using SignalSharp.Store.Inbox;

namespace SignalSharp.Store.Tests.Inbox;

public sealed class HeldMessageStoreTests
{
    private static readonly Guid Alice = Guid.Parse("aaaaaaaa-0000-4000-8000-000000000001");

    private static InboxItem Message(ulong timestamp, string? body, params InboxAttachment[] attachments) => new()
    {
        Timestamp = timestamp,
        ServerTimestamp = timestamp + 3,
        Sender = new InboxSender(Alice, "+15550000001", 2),
        Body = body,
        GroupId = [1, 2, 3],
        RawContent = [7, 7],
        Attachments = attachments,
    };

    [Fact]
    public async Task A_hold_round_trips_is_not_in_the_inbox_and_a_redelivery_is_a_duplicate()
    {
        await using var t = await TestDatabase.OpenAsync();
        var item = Message(1_732_530_000_000, "with files 📎", new InboxAttachment("image/png", "a.png", 10), new InboxAttachment(null, null, 0));
        byte[][] pointers = [[1, 2], [3]];
        var id = await t.Db.HeldMessages.HoldAsync(item, pointers);
        Assert.NotNull(id);
        Assert.Null(await t.Db.HeldMessages.HoldAsync(item, pointers));
        Assert.Equal(0, await t.Db.Inbox.CountPendingAsync());

        var held = Assert.Single(await t.Db.HeldMessages.ListAsync());
        Assert.Equal(id, held.Id);
        Assert.Equal(pointers, held.Pointers);
        Assert.Equal(item.Timestamp, held.Item.Timestamp);
        Assert.Equal(item.ServerTimestamp, held.Item.ServerTimestamp);
        Assert.Equal(item.Sender, held.Item.Sender);
        Assert.Equal(item.Body, held.Item.Body);
        Assert.Equal(item.GroupId, held.Item.GroupId);
        Assert.Equal(item.RawContent, held.Item.RawContent);
        Assert.Equal(item.Attachments, held.Item.Attachments);
    }

    [Fact]
    public async Task Releasing_moves_the_message_to_the_inbox_in_one_transaction()
    {
        await using var t = await TestDatabase.OpenAsync();
        var first = await t.Db.HeldMessages.HoldAsync(Message(10, "first", new InboxAttachment("text/plain", "1.txt", 1)), [[1]]);
        await t.Db.HeldMessages.HoldAsync(Message(11, null, new InboxAttachment(null, "2.bin", 2)), [[2]]);
        Assert.Equal(2, await t.Db.HeldMessages.CountAsync());

        var held = (await t.Db.HeldMessages.ListAsync())[0];
        await using (var tx = await t.Db.BeginTransactionAsync())
        {
            await tx.Inbox.InsertManyAsync([held.Item with { Attachments = [held.Item.Attachments[0] with { LocalPath = "/tmp/1.txt" }] }]);
            Assert.True(await tx.HeldMessages.DeleteAsync(first!.Value));
            await tx.CommitAsync();
        }

        Assert.False(await t.Db.HeldMessages.DeleteAsync(first!.Value));
        var remaining = Assert.Single(await t.Db.HeldMessages.ListAsync());
        Assert.Equal("2.bin", Assert.Single(remaining.Item.Attachments).FileName);
        var taken = Assert.Single(await t.Db.Inbox.TakeAsync(10));
        Assert.Equal("first", taken.Body);
        Assert.Equal("/tmp/1.txt", Assert.Single(taken.Attachments).LocalPath);
    }

    [Fact]
    public async Task A_hold_dropped_with_its_transaction_leaves_nothing()
    {
        await using var t = await TestDatabase.OpenAsync();
        await using (var tx = await t.Db.BeginTransactionAsync())
        {
            await tx.HeldMessages.HoldAsync(Message(5, "x", new InboxAttachment(null, null, 1)), [[1]]);
        }

        Assert.Empty(await t.Db.HeldMessages.ListAsync());
    }
}
