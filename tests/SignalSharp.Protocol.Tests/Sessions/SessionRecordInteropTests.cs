using System.Text;
using System.Text.Json.Nodes;
using SignalSharp.Interop.Testing;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.Sessions;
using SignalSharp.Protocol.Tests.Sessions.Support;

namespace SignalSharp.Protocol.Tests.Sessions;

/// <summary>Session records and session-level rules as libsignal reads them: storage format, staleness, self-sessions.</summary>
public sealed class SessionRecordInteropTests(NodeOracleFixture fixture) : IClassFixture<NodeOracleFixture>
{
    [Fact]
    public async Task Libsignal_reads_records_written_here_including_staleness()
    {
        var oracle = await fixture.GetAsync();
        var alice = new Party(Guid.NewGuid().ToString());
        var bob = new Party(Guid.NewGuid().ToString());
        await alice.Builder.ProcessPreKeyBundleAsync(bob.Address, await bob.CreateBundleAsync());
        var record = (await alice.Sessions.LoadSessionAsync(bob.Address))!;
        var now = DateTimeOffset.UtcNow;

        var info = await RecordInfoAsync(oracle, record, now);
        Assert.True(info["hasCurrentState"]!.GetValue<bool>());
        Assert.Equal(alice.RegistrationId, info["localRegistrationId"]!.GetValue<uint>());
        Assert.Equal(bob.RegistrationId, info["remoteRegistrationId"]!.GetValue<uint>());
        Assert.True(record.HasUsableSenderChain(now));

        // Unacknowledged for more than 30 days: neither side would send on it any more.
        var late = now + TimeSpan.FromDays(31);
        Assert.False((await RecordInfoAsync(oracle, record, late))["hasCurrentState"]!.GetValue<bool>());
        Assert.False(record.HasUsableSenderChain(late));

        // Once acknowledged, age no longer matters.
        Assert.Equal("hi", await bob.DecryptAsync(await alice.EncryptAsync(bob.Address, "hi"), alice.Address));
        Assert.Equal("yo", await alice.DecryptAsync(await bob.EncryptAsync(alice.Address, "yo"), bob.Address));
        record = (await alice.Sessions.LoadSessionAsync(bob.Address))!;
        Assert.True((await RecordInfoAsync(oracle, record, late))["hasCurrentState"]!.GetValue<bool>());
        Assert.True(record.HasUsableSenderChain(late));

        // Archived: no current state for either reader.
        record.ArchiveCurrentState();
        Assert.False((await RecordInfoAsync(oracle, record, now))["hasCurrentState"]!.GetValue<bool>());
        Assert.False(record.HasCurrentState);
        Assert.Equal(1, SessionRecord.Deserialize(record.Serialize()).ArchivedStateCount);
    }

    [Fact]
    public async Task A_session_with_another_device_of_the_same_account_works_both_ways()
    {
        var node = new NodeSessions(await fixture.GetAsync());
        var account = Guid.NewGuid().ToString();
        var me = new Party(account, 1);
        var otherDevice = new ProtocolAddress(account, 2);
        await node.NewPartyAsync("self-device-2", otherDevice, me.Identity);
        await me.Builder.ProcessPreKeyBundleAsync(otherDevice, (await node.BundleAsync("self-device-2")).Bundle);

        var toOther = await me.Cipher.EncryptAsync(otherDevice, Encoding.UTF8.GetBytes("note to self"));
        Assert.Equal(CiphertextMessageType.PreKey, toOther.Type);
        var got = await node.DecryptAsync("self-device-2", me.Address, [toOther]);
        Assert.Equal("note to self", Encoding.UTF8.GetString(got[0].Plaintext ?? Encoding.UTF8.GetBytes(got[0].Error!)));
        var back = await node.EncryptAsync("self-device-2", me.Address, [Encoding.UTF8.GetBytes("synced")]);
        Assert.Equal("synced", await me.DecryptAsync(back[0], otherDevice));
    }

    [Fact]
    public async Task Libsignal_continues_a_record_rewritten_here_and_the_forward_jump_limit_holds()
    {
        var node = new NodeSessions(await fixture.GetAsync());
        var bob = new Party(Guid.NewGuid().ToString());
        var alice = new ProtocolAddress(Guid.NewGuid().ToString(), 3);
        await node.NewPartyAsync("jump-alice", alice);
        await node.ProcessBundleAsync("jump-alice", bob.Address, await bob.CreateBundleAsync());
        Assert.Equal("one", await bob.DecryptAsync((await node.EncryptAsync("jump-alice", bob.Address, [Encoding.UTF8.GetBytes("one")]))[0], alice));
        var ack = await bob.Cipher.EncryptAsync(alice, Encoding.UTF8.GetBytes("ack"));
        Assert.True((await node.DecryptAsync("jump-alice", bob.Address, [ack]))[0].Ok);

        // Exactly the limit ahead (real chain keys, rewritten into node's record by this implementation): accepted.
        await AdvanceNodeSenderChainAsync(node, "jump-alice", bob.Address, SessionLimits.MaxForwardJumps, realKeys: true);
        var far = await node.EncryptAsync("jump-alice", bob.Address, [Encoding.UTF8.GetBytes("far")]);
        Assert.Equal("far", await bob.DecryptAsync(far[0], alice));

        // One more than the limit: refused, and nothing is committed.
        await AdvanceNodeSenderChainAsync(node, "jump-alice", bob.Address, SessionLimits.MaxForwardJumps + 1, realKeys: false);
        var tooFar = await node.EncryptAsync("jump-alice", bob.Address, [Encoding.UTF8.GetBytes("too far")]);
        var before = (await bob.Sessions.LoadSessionAsync(alice))!.Serialize();
        var error = await Assert.ThrowsAsync<InvalidMessageException>(() => bob.DecryptAsync(tooFar[0], alice));
        Assert.Contains(error.StateErrors, e => e.Message.Contains("too far into the future", StringComparison.Ordinal));
        Assert.Equal(before, (await bob.Sessions.LoadSessionAsync(alice))!.Serialize());
    }

    private static async Task AdvanceNodeSenderChainAsync(NodeSessions node, string party, ProtocolAddress remote, uint steps, bool realKeys)
    {
        var record = SessionRecord.Deserialize((await node.RecordAsync(party, remote))!);
        var state = record.CurrentState!;
        var chain = state.SenderChainKey;
        if (realKeys)
        {
            for (var i = 0u; i < steps; i++)
            {
                chain = chain.Next();
            }
        }
        else
        {
            chain = new SignalSharp.Protocol.Ratchet.ChainKey(chain.Key, chain.Index + steps);
        }

        state.SenderChainKey = chain;
        await node.Oracle.CallAsync("session.setRecord", new JsonObject
        {
            ["party"] = party,
            ["remote"] = new JsonObject { ["name"] = remote.Name, ["deviceId"] = remote.DeviceId },
            ["record"] = Convert.ToBase64String(record.Serialize()),
        });
    }

    private static async Task<JsonNode> RecordInfoAsync(NodeOracle oracle, SessionRecord record, DateTimeOffset now) =>
        (await oracle.CallAsync("session.recordInfo", new JsonObject
        {
            ["record"] = Convert.ToBase64String(record.Serialize()),
            ["nowMs"] = now.ToUnixTimeMilliseconds(),
        }))!;
}
