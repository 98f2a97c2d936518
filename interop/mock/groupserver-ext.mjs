// SignalSharp's extension of the mock's group server (@signalapp/mock-server 27.0.0). The mock's ServerGroup.modify
// applies only some GroupChange.Actions (title, timer, member removal, invitations) and silently drops the rest
// while still bumping the revision. This module (our own code) teaches it the actions a managing client sends
// that it lacks, with the group server's access rules: adding members with a profile key credential presentation
// (also joining by invite link), a member's own new profile key (ModifyMemberProfileKey, after a rotation), member roles, the description, the avatar (its CDN key, avatars.mjs), the three access controls, the invite link password,
// announcements-only, and join requests (joining by link or asking to only with the link's password, grouplinks.mjs). The actions the mock handles itself still go through its own code; the
// extra ones are checked before anything is applied, then added to the change it recorded, which is signed again
// with the server's notary key. Every change is also logged with its signature (GET /v2/groups/logs), as Signal's
// group server returns it; the mock logs them unsigned. Loaded once by harness.mjs.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Proto } = require('@signalapp/mock-server');
const { ServerGroup } = require('@signalapp/mock-server/src/server/group.js');
const { ProfileKeyCredentialPresentation, UuidCiphertext } = require('@signalapp/libsignal-client/zkgroup');

const { AccessRequired } = Proto.AccessControl;
const { Role } = Proto.Member;
const EXTRA = [
  'addMembers', 'modifyMemberRoles', 'modifyDescription', 'modifyAttributesAccess', 'modifyMemberAccess',
  'modifyAddFromInviteLinkAccess', 'modifyInviteLinkPassword', 'modifyAnnouncementsOnly',
  'addMembersPendingAdminApproval', 'deleteMembersPendingAdminApproval', 'promoteMembersPendingAdminApproval',
  'modifyAvatar', 'modifyMemberProfileKeys',
];

const same = (a, b) => Buffer.from(a).equals(Buffer.from(b));
const isSet = value => (Array.isArray(value) ? value.length > 0 : value != null);

function requireAdmin(member, what) {
  if (member?.role !== Role.ADMINISTRATOR) throw new Error(`Must be an administrator to modify: ${what}`);
}

function requireAccess(member, access, what) {
  if (access === AccessRequired.ANY) return;
  if (access === AccessRequired.MEMBER && member) return;
  if (access === AccessRequired.ADMINISTRATOR && member?.role === Role.ADMINISTRATOR) return;
  throw new Error(`Not allowed to modify: ${what}`);
}

// Checks every extra action against the state before the change and returns what to apply and record.
function plan(group, sourceAci, actions) {
  const state = group.state;
  const author = group.getMember(sourceAci);
  const access = state.accessControl ?? {};
  const version = actions.version;
  const steps = [];
  const applied = {};
  // grouplinks.mjs marks the password a joining PATCH presented (?inviteLinkPassword=), as the group server checks it.
  const presented = group.presentedLinkPassword;
  const linkPresented = presented?.length > 0 && state.inviteLinkPassword?.length > 0 && same(presented, state.inviteLinkPassword);
  const record = (key, entry) => { applied[key] = [...(applied[key] ?? []), entry]; };
  const present = bytes => {
    const presentation = new ProfileKeyCredentialPresentation(Buffer.from(bytes));
    group.profileOps.verifyProfileKeyCredentialPresentation(group.publicParams, presentation);
    return { userId: presentation.getUuidCiphertext().serialize(), profileKey: presentation.getProfileKeyCiphertext().serialize() };
  };

  for (const { added, joinFromInviteLink } of actions.addMembers ?? []) {
    if (!added?.presentation?.length) throw new Error('addMembers needs a presentation');
    const { userId, profileKey } = present(added.presentation);
    if (joinFromInviteLink) {
      if (!linkPresented) throw new Error('Joining by invite link needs the link\'s password');
      if (!same(userId, sourceAci.serialize())) throw new Error('Only oneself joins by invite link');
      if (access.addFromInviteLink !== AccessRequired.ANY) throw new Error('The invite link does not admit members');
    } else {
      requireAccess(author, access.members, 'members');
    }
    if (group.getMember(new UuidCiphertext(userId))) throw new Error('Already a member');
    const role = joinFromInviteLink ? Role.DEFAULT : (added.role || Role.DEFAULT);
    const member = { userId, role, profileKey, presentation: null, joinedAtVersion: version, labelEmoji: null, labelString: null };
    steps.push(s => {
      s.membersPendingProfileKey = (s.membersPendingProfileKey ?? []).filter(p => !same(p.member.userId, userId));
      s.membersPendingAdminApproval = (s.membersPendingAdminApproval ?? []).filter(r => !same(r.userId, userId));
      s.members = [...(s.members ?? []), member];
    });
    record('addMembers', { added: member, joinFromInviteLink: Boolean(joinFromInviteLink) });
  }

  // A member records its own new profile key: the presentation proves the key is that member's; the server keeps
  // the key's ciphertext and writes the user id and key ciphertext into the change it signs, as Signal's does.
  for (const { presentation } of actions.modifyMemberProfileKeys ?? []) {
    if (!presentation?.length) throw new Error('modifyMemberProfileKeys needs a presentation');
    const { userId, profileKey } = present(presentation);
    if (!same(userId, sourceAci.serialize())) throw new Error('Only a member\'s own profile key can be changed');
    if (!group.getMember(new UuidCiphertext(userId))) throw new Error('Not a member');
    steps.push(s => { s.members = s.members.map(m => (same(m.userId, userId) ? { ...m, profileKey } : m)); });
    record('modifyMemberProfileKeys', { presentation: null, userId, profileKey });
  }

  for (const { userId, role } of actions.modifyMemberRoles ?? []) {
    requireAdmin(author, 'member roles');
    if (!group.getMember(new UuidCiphertext(Buffer.from(userId)))) throw new Error('Not a member');
    steps.push(s => { s.members = s.members.map(m => (same(m.userId, userId) ? { ...m, role } : m)); });
    record('modifyMemberRoles', { userId, role });
  }

  if (actions.modifyDescription) {
    requireAccess(author, access.attributes, 'description');
    steps.push(s => { s.description = actions.modifyDescription.description; });
    applied.modifyDescription = actions.modifyDescription;
  }

  if (actions.modifyAvatar) {
    requireAccess(author, access.attributes, 'avatar');
    steps.push(s => { s.avatarUrl = actions.modifyAvatar.avatar; });
    applied.modifyAvatar = actions.modifyAvatar;
  }

  const accessActions = [
    ['modifyAttributesAccess', 'attributesAccess', 'attributes'],
    ['modifyMemberAccess', 'membersAccess', 'members'],
    ['modifyAddFromInviteLinkAccess', 'addFromInviteLinkAccess', 'addFromInviteLink'],
  ];
  for (const [key, field, target] of accessActions) {
    if (!actions[key]) continue;
    requireAdmin(author, key);
    const value = actions[key][field];
    steps.push(s => { s.accessControl = { ...(s.accessControl ?? {}), [target]: value }; });
    applied[key] = actions[key];
  }

  if (actions.modifyInviteLinkPassword) {
    requireAdmin(author, 'invite link');
    steps.push(s => { s.inviteLinkPassword = actions.modifyInviteLinkPassword.inviteLinkPassword; });
    applied.modifyInviteLinkPassword = actions.modifyInviteLinkPassword;
  }

  if (actions.modifyAnnouncementsOnly) {
    requireAdmin(author, 'announcements only');
    steps.push(s => { s.announcementsOnly = actions.modifyAnnouncementsOnly.announcementsOnly; });
    applied.modifyAnnouncementsOnly = actions.modifyAnnouncementsOnly;
  }

  for (const { added } of actions.addMembersPendingAdminApproval ?? []) {
    if (!linkPresented) throw new Error('Asking to join needs the invite link\'s password');
    if (access.addFromInviteLink !== AccessRequired.ADMINISTRATOR) throw new Error('The invite link takes no join requests');
    const { userId, profileKey } = present(added.presentation);
    if (!same(userId, sourceAci.serialize())) throw new Error('Only oneself asks to join');
    const request = { userId, profileKey, presentation: null, timestamp: BigInt(Date.now()) };
    steps.push(s => { s.membersPendingAdminApproval = [...(s.membersPendingAdminApproval ?? []), request]; });
    record('addMembersPendingAdminApproval', { added: request });
  }

  for (const { deletedUserId } of actions.deleteMembersPendingAdminApproval ?? []) {
    if (!same(deletedUserId, sourceAci.serialize())) requireAdmin(author, 'join requests');
    steps.push(s => { s.membersPendingAdminApproval = (s.membersPendingAdminApproval ?? []).filter(r => !same(r.userId, deletedUserId)); });
    record('deleteMembersPendingAdminApproval', { deletedUserId });
  }

  for (const { userId, role } of actions.promoteMembersPendingAdminApproval ?? []) {
    requireAdmin(author, 'join requests');
    const request = (state.membersPendingAdminApproval ?? []).find(r => same(r.userId, userId));
    if (!request) throw new Error('No such join request');
    const member = { userId, role: role || Role.DEFAULT, profileKey: request.profileKey, presentation: null, joinedAtVersion: version, labelEmoji: null, labelString: null };
    steps.push(s => {
      s.membersPendingAdminApproval = s.membersPendingAdminApproval.filter(r => !same(r.userId, userId));
      s.members = [...(s.members ?? []), member];
    });
    record('promoteMembersPendingAdminApproval', { userId, role: member.role });
  }

  return { steps, applied };
}

export function extendGroupServer() {
  if (ServerGroup.prototype.signalSharpExtended) return;
  const original = ServerGroup.prototype.modify;
  ServerGroup.prototype.modify = function modify(sourceAci, sourcePni, actions) {
    if (!EXTRA.some(key => isSet(actions[key]))) {
      const plain = original.call(this, sourceAci, sourcePni, actions);
      // The mock keeps its change log unsigned; Signal's group server returns each logged change as it signed it.
      if (!plain.conflict) this.privChanges.groupChanges.at(-1).groupChange = plain.signedChange;
      return plain;
    }
    const { steps, applied } = plan(this, sourceAci, actions);
    const rest = { ...actions };
    for (const key of EXTRA) rest[key] = Array.isArray(actions[key]) ? [] : null;
    const result = original.call(this, sourceAci, sourcePni, rest);
    if (result.conflict) return result;

    const last = this.privChanges.groupChanges.at(-1);
    const state = { ...last.groupState };
    for (const step of steps) step(state);
    last.groupState = state;
    const recorded = { ...Proto.GroupChange.Actions.decode(last.groupChange.actions), ...applied };
    const encoded = Proto.GroupChange.Actions.encode(recorded);
    last.groupChange = { ...last.groupChange, actions: encoded, serverSignature: this.zkSecret.sign(Buffer.from(encoded)).serialize() };
    return { conflict: false, signedChange: last.groupChange };
  };
  ServerGroup.prototype.signalSharpExtended = true;
}
