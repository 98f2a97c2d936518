// Group administration commands for harness.mjs (merged into its command table): what the group server holds,
// read straight from the mock's own server-side group, to judge the changes a client made through its routes.
//   serverGroup {masterKey} → {groupId, revision, title, description, timer, members: [{aci, role, profileKey}],
//     pending: [{serviceId, role}], requesting: [aci], access: {attributes, members, addFromInviteLink},
//     inviteLinkPassword (base64 or null), announcementsOnly}: the server's current state decrypted with the master key
//     (a member's profile key: its ciphertext opened with the group's keys, base64)
//     (base64), or {missing: true} when the server holds no such group.
//   changeGroupAs {by='alice', masterKey, title?, description?, timer?, removeMember?, notify=[]} → {revision}: the primary
//     `by` changes the group through the group server (as its app would) and tells the `notify` targets 1:1 (the
//     group context at the new revision with the signed change).
//   inspectGroupChange {groupChange} → {signatureValid, version}: a signed GroupChange (base64) checked with libsignal
//     against the server's public params (its notary signature over the actions), and the revision it makes.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Proto, loadCertificates, Group, EMPTY_GROUP_ACTIONS, EMPTY_DATA_MESSAGE } = require('@signalapp/mock-server');
const { GroupMasterKey, GroupSecretParams, ClientZkGroupCipher, UuidCiphertext, ProfileKeyCiphertext, ServerPublicParams, NotarySignature } = require('@signalapp/libsignal-client/zkgroup');
const { Aci } = require('@signalapp/libsignal-client');

import { extendGroupServer } from './groupserver-ext.mjs';

const b64 = bytes => (bytes == null || bytes.length === 0 ? null : Buffer.from(bytes).toString('base64'));

export function secretParamsOf(masterKeyBase64) {
  return GroupSecretParams.deriveFromMasterKey(new GroupMasterKey(Buffer.from(masterKeyBase64, 'base64')));
}

// A member's change of a group on the mock's group server, announced to `notify` (names) with the signed change in a
// group message, as Signal's apps announce theirs; serverGroup.revision is the new revision afterwards.
export async function modifyGroupAndAnnounce({ server, target, author, group, serverGroup, actions, masterKey, notify, timestamp }) {
  const result = await server.modifyGroup({
    group: serverGroup,
    actions,
    aciCiphertext: group.encryptServiceId(author.device.aci),
    pniCiphertext: author.device.pni ? group.encryptServiceId(author.device.pni) : undefined,
  });
  if (result.conflict) throw new Error('group update conflict');
  const groupV2 = { masterKey: Buffer.from(masterKey, 'base64'), revision: serverGroup.revision, groupChange: Proto.GroupChange.encode(result.signedChange) };
  for (const name of notify) {
    const dataMessage = { ...EMPTY_DATA_MESSAGE, groupV2, timestamp: BigInt(timestamp) };
    await author.sendRaw(target(name), { pniSignatureMessage: null, senderKeyDistributionMessage: null, content: { dataMessage } }, { timestamp });
  }
}

export function decryptState(secretParams, state) {
  const cipher = new ClientZkGroupCipher(secretParams);
  const blob = bytes => (bytes && bytes.length ? Proto.GroupAttributeBlob.decode(cipher.decryptBlob(Buffer.from(bytes))) : null);
  const serviceId = bytes => cipher.decryptServiceId(new UuidCiphertext(Buffer.from(bytes))).getServiceIdString();
  // The member's profile key ciphertext opened as a member's app opens it (it is bound to the member's ACI).
  const profileKey = m => (m.profileKey?.length
    ? b64(cipher.decryptProfileKey(new ProfileKeyCiphertext(Buffer.from(m.profileKey)), Aci.parseFromServiceIdString(serviceId(m.userId))).serialize())
    : null);
  return {
    groupId: b64(secretParams.getPublicParams().getGroupIdentifier().serialize()),
    revision: state.version ?? 0,
    title: blob(state.title)?.content?.title ?? null,
    description: blob(state.description)?.content?.descriptionText ?? null,
    timer: blob(state.disappearingMessagesTimer)?.content?.disappearingMessagesDuration ?? 0,
    members: (state.members ?? []).map(m => ({ aci: serviceId(m.userId), role: m.role, profileKey: profileKey(m) })),
    pending: (state.membersPendingProfileKey ?? []).map(p => ({ serviceId: serviceId(p.member.userId), role: p.member.role })),
    requesting: (state.membersPendingAdminApproval ?? []).map(r => serviceId(r.userId)),
    access: {
      attributes: state.accessControl?.attributes ?? 0,
      members: state.accessControl?.members ?? 0,
      addFromInviteLink: state.accessControl?.addFromInviteLink ?? 0,
    },
    inviteLinkPassword: b64(state.inviteLinkPassword),
    announcementsOnly: Boolean(state.announcementsOnly),
  };
}

export default function groupAdminCommands({ server, primary, target }) {
  extendGroupServer();
  return {
    changeGroupAs: async ({ by = 'alice', masterKey, title = null, description = null, timer = null, removeMember = null, notify = [], timestamp = Date.now() }) => {
      const secretParams = secretParamsOf(masterKey);
      const serverGroup = await server.getGroup(secretParams.getPublicParams().serialize());
      if (!serverGroup) throw new Error('no such group on the server');
      const author = primary(by);
      const group = new Group({ secretParams, groupState: serverGroup.state });
      const actions = { ...EMPTY_GROUP_ACTIONS, version: serverGroup.revision + 1 };
      if (title !== null) actions.modifyTitle = { title: group.encryptBlob({ content: { title } }) };
      if (description !== null) actions.modifyDescription = { description: group.encryptBlob({ content: { descriptionText: description } }) };
      if (timer !== null) actions.modifyDisappearingMessageTimer = { timer: group.encryptBlob({ content: { disappearingMessagesDuration: timer } }) };
      if (removeMember !== null) actions.deleteMembers = [{ deletedUserId: group.encryptServiceId(primary(removeMember).device.aci) }];
      await modifyGroupAndAnnounce({ server, target, author, group, serverGroup, actions, masterKey, notify, timestamp });
      return { revision: serverGroup.revision };
    },

    serverGroup: async ({ masterKey }) => {
      const secretParams = secretParamsOf(masterKey);
      const group = await server.getGroup(secretParams.getPublicParams().serialize());
      if (!group) return { missing: true };
      return decryptState(secretParams, group.state);
    },

    inspectGroupChange: async ({ groupChange }) => {
      const change = Proto.GroupChange.decode(Buffer.from(groupChange, 'base64'));
      const params = new ServerPublicParams(Buffer.from((await loadCertificates()).serverPublicParams, 'base64'));
      let signatureValid = false;
      try {
        params.verifySignature(Buffer.from(change.actions), new NotarySignature(Buffer.from(change.serverSignature)));
        signatureValid = true;
      } catch {
        signatureValid = false;
      }
      const actions = Proto.GroupChange.Actions.decode(change.actions);
      return { signatureValid, version: actions.version };
    },
  };
}
