// Group invite links for harness.mjs (merged into its command table). The mock 27.0.0 has no
// GET /v2/groups/join/{inviteLinkPassword} (what a non-member holding a link reads before joining) and ignores the
// `inviteLinkPassword` a joining PATCH carries; this module (our own code) adds both on the mock's HTTPS server:
//   GET /storageService/v2/groups/join/{password, base64url}: group auth as the other group routes; 403 when the link
//     is off or the password is not the group's (or the requester is banned), else a GroupJoinInfo (the encrypted
//     title and description, member count, link access, revision, whether the requester already waits for approval).
//   PATCH /storageService/v2/groups?inviteLinkPassword=…: 403 when the password is not the group's; else the mock's own
//     route, with the password marked as presented so that groupserver-ext.mjs admits a join by link or a join request.
// Commands:
//   setGroupLinkAs {by='alice', masterKey, approval=false} → {revision, url}: the primary `by` (an administrator) turns
//     the link on (anyone with it joins, or with approval asks to) with a fresh password; `url` is the
//     https://signal.group/#… link encoded with Signal's own GroupInviteLink proto.
//   joinByLinkAs {by, url} → {revision, requested}: the primary `by` uses a link as Signal's apps do: joins (link access
//     ANY) or asks to join (ADMINISTRATOR), with its profile key credential presentation; `requested` for the latter.
//   decodeGroupLink {url} → {masterKey, password} (base64): a link decoded with Signal's GroupInviteLink proto.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Proto, Group, EMPTY_GROUP_ACTIONS } = require('@signalapp/mock-server');
const { parseAuthHeader } = require('@signalapp/mock-server/src/util.js');
const { randomBytes } = require('node:crypto');

import { extendGroupServer } from './groupserver-ext.mjs';
import { secretParamsOf } from './groupadmin.mjs';

const { AccessRequired } = Proto.AccessControl;
const fromBase64Url = text => Buffer.from(String(text).replace(/-/g, '+').replace(/_/g, '/'), 'base64');
const toBase64Url = bytes => Buffer.from(bytes).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const same = (a, b) => a != null && b != null && a.length > 0 && Buffer.from(a).equals(Buffer.from(b));
const linkOn = state => [AccessRequired.ANY, AccessRequired.ADMINISTRATOR].includes(state.accessControl?.addFromInviteLink);

export function decodeLink(url) {
  const hash = String(url).split('#')[1] ?? '';
  const link = Proto.GroupInviteLink.decode(fromBase64Url(hash));
  const contents = link.contents?.contentsV1;
  if (!contents) throw new Error('not a version 1 group invite link');
  return { masterKey: Buffer.from(contents.groupMasterKey), password: Buffer.from(contents.inviteLinkPassword) };
}

function send(res, status, body, type = 'application/json') {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.end(type === 'application/json' ? JSON.stringify(body) : Buffer.from(body));
}

export default function groupLinkCommands({ server, primary }) {
  extendGroupServer();

  // The group and requester a request's group auth names; null after answering 400/403 itself.
  async function authorize(req, res) {
    const { username, password, error } = parseAuthHeader(req.headers.authorization);
    if (error || !username || !password) {
      send(res, 400, { error: 'Invalid authorization header' });
      return null;
    }
    const publicParams = Buffer.from(username, 'hex');
    let auth;
    try {
      auth = await server.verifyGroupCredentials(publicParams, Buffer.from(password, 'hex'));
    } catch {
      send(res, 403, { error: 'Invalid credentials' });
      return null;
    }
    const group = await server.getGroup(publicParams);
    if (!group) {
      send(res, 404, { error: 'Group not found' });
      return null;
    }
    return { group, requester: auth.getUuidCiphertext().serialize() };
  }

  async function joinInfo(req, res, password) {
    const found = await authorize(req, res);
    if (!found) return;
    const { group, requester } = found;
    const state = group.state;
    const banned = (state.membersBanned ?? []).some(b => same(b.userId, requester));
    if (!linkOn(state) || !same(state.inviteLinkPassword, password) || banned) {
      send(res, 403, { error: 'The link is not valid' });
      return;
    }
    send(res, 200, Proto.GroupJoinInfo.encode({
      publicKey: state.publicKey,
      title: state.title,
      description: state.description,
      avatar: state.avatarUrl ?? '',
      memberCount: (state.members ?? []).length,
      addFromInviteLink: state.accessControl.addFromInviteLink,
      version: state.version ?? 0,
      pendingAdminApproval: (state.membersPendingAdminApproval ?? []).some(r => same(r.userId, requester)),
      pendingAdminApprovalFull: false,
    }), 'application/x-protobuf');
  }

  const [original] = server.https.listeners('request');
  server.https.removeAllListeners('request');
  server.https.on('request', (req, res) => {
    const url = new URL(req.url, 'https://mock');
    const join = /^\/storageService\/v2\/groups\/join\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && join) {
      joinInfo(req, res, fromBase64Url(decodeURIComponent(join[1]))).catch(e => send(res, 500, { error: String(e) }));
      return;
    }
    const presented = url.searchParams.get('inviteLinkPassword');
    if (req.method === 'PATCH' && url.pathname === '/storageService/v2/groups' && presented !== null) {
      const params = parseAuthHeader(req.headers.authorization);
      Promise.resolve(params.username ? server.getGroup(Buffer.from(params.username, 'hex')) : null).then(group => {
        if (group && !same(group.state.inviteLinkPassword, fromBase64Url(presented))) {
          send(res, 403, { error: 'The link is not valid' });
          return;
        }
        if (group) {
          group.presentedLinkPassword = fromBase64Url(presented);
          res.once('close', () => { group.presentedLinkPassword = null; });
        }
        original(req, res);
      }, e => send(res, 500, { error: String(e) }));
      return;
    }
    original(req, res);
  });

  const modifyAs = async (by, serverGroup, secretParams, actions) => {
    const author = primary(by);
    const group = new Group({ secretParams, groupState: serverGroup.state });
    const result = await server.modifyGroup({
      group: serverGroup,
      actions: { ...EMPTY_GROUP_ACTIONS, ...actions(group), version: serverGroup.revision + 1 },
      aciCiphertext: group.encryptServiceId(author.device.aci),
      pniCiphertext: author.device.pni ? group.encryptServiceId(author.device.pni) : undefined,
    });
    if (result.conflict) throw new Error('group update conflict');
    return serverGroup.revision;
  };

  return {
    setGroupLinkAs: async ({ by = 'alice', masterKey, approval = false }) => {
      const secretParams = secretParamsOf(masterKey);
      const serverGroup = await server.getGroup(secretParams.getPublicParams().serialize());
      if (!serverGroup) throw new Error('no such group on the server');
      const password = randomBytes(16);
      const revision = await modifyAs(by, serverGroup, secretParams, () => ({
        modifyAddFromInviteLinkAccess: { addFromInviteLinkAccess: approval ? AccessRequired.ADMINISTRATOR : AccessRequired.ANY },
        modifyInviteLinkPassword: { inviteLinkPassword: password },
      }));
      const link = Proto.GroupInviteLink.encode({ contents: { contentsV1: { groupMasterKey: secretParams.getMasterKey().serialize(), inviteLinkPassword: password } } });
      return { revision, url: `https://signal.group/#${toBase64Url(link)}` };
    },

    joinByLinkAs: async ({ by, url }) => {
      const { masterKey, password } = decodeLink(url);
      const secretParams = secretParamsOf(masterKey.toString('base64'));
      const serverGroup = await server.getGroup(secretParams.getPublicParams().serialize());
      if (!serverGroup) throw new Error('no such group on the server');
      if (!same(serverGroup.state.inviteLinkPassword, password)) throw new Error('the link is not the group\'s');
      const requested = serverGroup.state.accessControl?.addFromInviteLink === AccessRequired.ADMINISTRATOR;
      const presentation = (await primary(by).getProfileKeyPresentation(secretParams)).serialize();
      serverGroup.presentedLinkPassword = password;
      try {
        const revision = await modifyAs(by, serverGroup, secretParams, () => (requested
          ? { addMembersPendingAdminApproval: [{ added: { userId: null, profileKey: null, presentation, timestamp: BigInt(Date.now()) } }] }
          : { addMembers: [{ added: { userId: null, role: Proto.Member.Role.DEFAULT, profileKey: null, presentation, joinedAtVersion: 0, labelEmoji: null, labelString: null }, joinFromInviteLink: true }] }));
        return { revision, requested };
      } finally {
        serverGroup.presentedLinkPassword = null;
      }
    },

    decodeGroupLink: async ({ url }) => {
      const { masterKey, password } = decodeLink(url);
      return { masterKey: masterKey.toString('base64'), password: password.toString('base64') };
    },
  };
}
