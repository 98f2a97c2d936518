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
//   removeFromGroup {group, by='phone', member, notify=['linked']} → {revision}: `by` removes the primary `member`; the
//     change (GroupContextV2 at the new revision with the signed change) goes to each `notify` target. The removed
//     member's client is not told: it still holds the master key (and its sender key), and sendGroupText can still
//     send as it, with `revision` naming the revision its stale state claims.
//   sendGroupText also takes `revision` (the context claims that revision instead of the group's) and, in place of
//     `group`, `unknownGroup: true`: a context with a fresh master key no group server has ever seen.
// Other harness files may reach the created mock Group objects through the exported `groups` map (groupId → Group).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { StorageState, Proto, ServiceIdKind, EMPTY_GROUP_ACTIONS, EMPTY_DATA_MESSAGE, Group } = require('@signalapp/mock-server');
const { GroupSecretParams } = require('@signalapp/libsignal-client/zkgroup');
const ADMINISTRATOR = Proto.Member.Role.ADMINISTRATOR;

export const groups = new Map();

const b64 = bytes => Buffer.from(bytes).toString('base64');

// A group context whose revision is `revision` whatever the group's is (a member's stale or made-up view).
const claimingRevision = (group, revision) => ({
  publicParams: group.publicParams,
  toContext: () => ({ ...group.toContext(), revision }),
});

// A context for a group no server knows: a fresh master key.
const unknownContext = () => {
  const secretParams = GroupSecretParams.generate();
  return {
    publicParams: secretParams.getPublicParams(),
    toContext: () => ({ masterKey: secretParams.getMasterKey().serialize(), revision: 0, groupChange: null }),
  };
};

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

    sendGroupText: async ({ from = 'alice', group, to = 'linked', text, timestamp = Date.now(), sealed = false, revision = null, unknownGroup = false }) => {
      if (typeof text !== 'string') throw new Error('sendGroupText needs text');
      let context = unknownGroup ? unknownContext() : groupOf(group);
      if (revision !== null) context = claimingRevision(context, revision);
      await primary(from).sendText(target(to), text, { timestamp, sealed, withProfileKey: true, group: context });
      return { timestamp };
    },

    removeFromGroup: async ({ group, by = 'phone', member, notify = ['linked'], timestamp = Date.now() }) => {
      const current = groupOf(group);
      const remover = primary(by);
      const removed = primary(member);
      // The mock's own modify path is private; its group server's modify is what a client's PATCH reaches.
      const serverGroup = await remover.config.getGroup(current.publicParams.serialize());
      if (!serverGroup) throw new Error(`group ${group} is not on the server`);
      const result = await remover.config.modifyGroup({
        group: serverGroup,
        actions: { ...EMPTY_GROUP_ACTIONS, deleteMembers: [{ deletedUserId: current.encryptServiceId(removed.device.aci) }], version: current.revision + 1 },
        aciCiphertext: current.encryptServiceId(remover.device.aci),
        pniCiphertext: remover.device.pni ? current.encryptServiceId(remover.device.pni) : undefined,
      });
      if (result.conflict) throw new Error('group update conflict');
      const updated = new Group({ secretParams: current.secretParams, groupState: serverGroup.state });
      groups.set(updated.id, updated);
      memberDetails.set(updated.id, (memberDetails.get(updated.id) ?? []).filter(m => m.aci !== removed.device.aci));
      const groupV2 = { ...updated.toContext(), groupChange: Proto.GroupChange.encode(result.signedChange) };
      for (const name of notify) {
        const device = target(name);
        const dataMessage = { ...EMPTY_DATA_MESSAGE, groupV2, timestamp: BigInt(timestamp) };
        // To the remover's own (linked) device the change travels as a Sent transcript, as Signal's apps send it.
        const content = device.aci === remover.device.aci
          ? { content: { syncMessage: { content: { sent: {
            timestamp: BigInt(timestamp), message: dataMessage, destinationServiceIdBinary: device.aciBinary } } } } }
          : { content: { dataMessage } };
        await remover.sendRaw(device, { pniSignatureMessage: null, senderKeyDistributionMessage: null, ...content }, { timestamp });
      }
      return { revision: updated.revision };
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
