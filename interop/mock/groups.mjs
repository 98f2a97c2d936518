// Group commands for harness.mjs (merged into its command table). Mock groups can only be created by mock
// primaries; the linked client learns them the way Signal's clients do: the phone records the group's master key in
// its storage-service state (a GroupV2Record) and sends its linked devices a SyncMessage.fetchLatest
// (STORAGE_MANIFEST).
//   createGroup {by='phone', title, members=['alice','bob'], storageSync=true, awaitSync=false, storageOf='phone'}
//     → {groupId, masterKey, revision, title, members: [aci...], memberDetails: [{aci, role, profileKey}]}. `by` is always a member (first, like the
//       phone's own client); all members are administrators (the mock's createGroup makes them so).
//       storageSync=false keeps the group out of the phone's storage (a group the client can only learn from a
//       message's GroupContextV2). awaitSync waits until the linked device acked the fetch-storage sync.
//       storageOf names the primary whose storage records the group and who tells its linked devices (the
//       primary our client linked to: 'phone', or an account made by createAccount).
//   sendGroupText {from, group, to='linked', text, timestamp?, sealed?} → {timestamp}: a member sends a text with
//     the group's GroupContextV2 (1:1, as the mock does). `group` is the groupId (base64) createGroup returned.
//   groupInfo {group} → {groupId, masterKey, revision, title, members: [{aci, role, profileKey}]} as created.
//   inviteToGroup {group, by='phone', invitee, notify=['linked']} → {revision}: `by` invites the primary `invitee`
//     (a pending member, ACI); the change (GroupContextV2 with the new revision and the signed change) goes to each
//     `notify` target (to `by`'s own linked device as a Sent transcript).
//   setGroupTimer {group, by='phone', seconds, notify=['linked']} → {revision}: a disappearing-messages change.
// Other harness files may reach the created mock Group objects through the exported `groups` map (groupId → Group).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { StorageState, Proto, ServiceIdKind } = require('@signalapp/mock-server');
const ADMINISTRATOR = Proto.Member.Role.ADMINISTRATOR;

export const groups = new Map();

const b64 = bytes => Buffer.from(bytes).toString('base64');

export default function groupCommands({ primary, target, withTimeout, timeoutMs }) {
  const groupOf = id => {
    const found = groups.get(String(id));
    if (!found) throw new Error(`unknown group "${id}" (known: ${[...groups.keys()].join(', ')})`);
    return found;
  };

  // The mock's client-side Group holds members as profile-key presentations only, so who was added is kept here.
  const memberDetails = new Map();
  const describe = group => ({
    groupId: group.id,
    masterKey: b64(group.masterKey),
    revision: group.revision,
    title: group.title,
    members: memberDetails.get(group.id) ?? [],
  });

  return {
    createGroup: async ({ by = 'phone', title = 'Test group', members = ['alice', 'bob'], storageSync = true, awaitSync = false, storageOf = 'phone' }) => {
      const owner = primary(by);
      const others = members.map(primary).filter(p => p !== owner);
      const group = await owner.createGroup({ title, members: [owner, ...others] });
      groups.set(group.id, group);
      memberDetails.set(group.id, [owner, ...others].map(p => ({
        aci: p.device.aci, role: ADMINISTRATOR, profileKey: b64(p.profileKey.serialize()),
      })));

      if (storageSync) {
        const phone = primary(storageOf);
        const before = await phone.getStorageState();
        const state = (before ?? StorageState.getEmpty()).addGroup(group, { whitelisted: true });
        await phone.setStorageState(state, before);
        // The mock resolves a sync only when every linked device acked it, so waiting is opt-in: a client that
        // is not receiving yet still gets the message from its queue on its next connection.
        const sent = phone.sendFetchStorage({ timestamp: Date.now() });
        if (awaitSync) await withTimeout(sent, timeoutMs, 'the linked device to ack the fetch-storage sync');
        else sent.catch(error => process.stderr.write(`[groups] fetch-storage sync failed: ${error?.message ?? error}\n`));
      }

      const described = describe(group);
      return { ...described, members: described.members.map(m => m.aci), memberDetails: described.members };
    },

    sendGroupText: async ({ from = 'alice', group, to = 'linked', text, timestamp = Date.now(), sealed = false }) => {
      if (typeof text !== 'string') throw new Error('sendGroupText needs text');
      await primary(from).sendText(target(to), text, { timestamp, sealed, withProfileKey: true, group: groupOf(group) });
      return { timestamp };
    },

    groupInfo: async ({ group }) => describe(groupOf(group)),

    inviteToGroup: async ({ group, by = 'phone', invitee, notify = ['linked'], timestamp = Date.now() }) => {
      const current = groupOf(group);
      const invited = primary(invitee);
      // Only the named targets hear of it: a mock primary may have no session with the invitee.
      const sendUpdateTo = notify.map(name => ({ device: target(name), options: { serviceIdKind: ServiceIdKind.ACI } }));
      const updated = await primary(by).inviteToGroup(current, invited.device, { timestamp, sendUpdateTo });
      groups.set(updated.id, updated);
      return { revision: updated.revision };
    },

    setGroupTimer: async ({ group, by = 'phone', seconds, notify = ['linked'], timestamp = Date.now() }) => {
      const current = groupOf(group);
      const sendUpdateTo = notify.map(name => ({ device: target(name), options: { serviceIdKind: ServiceIdKind.ACI } }));
      const updated = await primary(by).modifyGroupDisappearingMessageTimer(current, seconds, { timestamp, sendUpdateTo });
      groups.set(updated.id, updated);
      return { revision: updated.revision };
    },
  };
}
