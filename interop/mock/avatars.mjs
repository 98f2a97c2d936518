// Profile avatar uploads, which Signal's server has and the mock 27.0.0 lacks (its PUT /v1/profile answers "ok" and
// keeps only the name); our own code, merged into harness.mjs:
//   PUT /v1/profile with avatar: true → the mock's own handling, then (on success) production's answer: the signed
//     upload form {key: 'profiles/<random>', credential, acl, algorithm, date, policy, signature}.
//   POST / on the HTTPS origin (CDN 0), multipart/form-data as S3 takes it: 204 when `key`, `policy` and
//     `x-amz-signature` are those of a form handed out and unused, and a `file` part is present; else 403.
//   GET /profiles/<id> on the HTTPS origin (CDN 0): an avatar blob set below or uploaded above (404 otherwise), as
//     production's CDN 0 serves profile avatars; every GET is counted.
//   GET /v1/profile/<serviceId>[/…]: the mock's answer, plus production's `avatar` field (the CDN path) for a
//     contact given one with setContactAvatar (the mock's profiles have no avatar).
// Commands: profileAvatar {profileKey} → {key, size, image}: the last uploaded avatar, decrypted here with the
//   given profile key (AES-256-GCM, nonce ‖ ciphertext ‖ tag), the image in base64.
//   setContactAvatar {name, image?, oversize?} → {key}: the contact `name` takes a new avatar as Signal's apps
//     upload one: `image` (base64) encrypted under its current profile key with a random nonce, or, with
//     `oversize` (a byte count), that many random bytes; stored under a new CDN path its profile then names.
//   avatarDownloads {key} → the number of GETs of that CDN path so far.
//   GET /storageService/v1/groups/avatar/form (group auth, as the group routes; for an existing group only who may
//     modify its attributes, 403 otherwise): production's signed form
//     (AvatarUploadAttributes) for one CDN 0 upload under groups/<group id, base64url>/<random>; the mock lacks it.
//   groupAvatar {masterKey} → {key, image} | {key: null}: the avatar the group server's state names, read from CDN 0
//     and decrypted as a member's app does (GroupAttributeBlob.avatar under the group's keys, libsignal's cipher).
//   setGroupAvatarAs {by='alice', masterKey, image, notify=[]} → {revision, key}: the primary `by` uploads `image`
//     (base64) encrypted for the group and changes the group's avatar to it (ModifyAvatar), telling `notify` 1:1.
import crypto from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Connection } = require('@signalapp/mock-server/src/server/ws/connection.js');
const { Proto, Group, EMPTY_GROUP_ACTIONS } = require('@signalapp/mock-server');
const { parseAuthHeader } = require('@signalapp/mock-server/src/util.js');
const { GroupPublicParams, ClientZkGroupCipher } = require('@signalapp/libsignal-client/zkgroup');
import { modifyGroupAndAnnounce, secretParamsOf } from './groupadmin.mjs';

const signedForm = key => ({
  key,
  credential: 'mock/20260101/us-east-1/s3/aws4_request',
  acl: 'private',
  algorithm: 'AWS4-HMAC-SHA256',
  date: new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, ''),
  policy: Buffer.from(JSON.stringify({ conditions: [{ key }] })).toString('base64'),
  signature: crypto.randomBytes(32).toString('hex'),
});

export default function avatarCommands({ server, primary, target }) {
  const forms = new Map(); // key → form handed out, not yet used
  let last = null; // { key, bytes }
  const blobs = new Map(); // CDN path → encrypted bytes
  const downloads = new Map(); // CDN path → GETs
  const avatarOf = new Map(); // ACI → CDN path its profile names

  const handle = Connection.prototype.handleRequest;
  Connection.prototype.handleRequest = async function (request) {
    const path = (request.path ?? '').split('?')[0];
    const profileOf = request.verb === 'GET' ? /^\/v1\/profile\/([^/]+)/.exec(path) : null;
    if (profileOf) {
      const answer = await handle.call(this, request);
      const avatar = avatarOf.get(decodeURIComponent(profileOf[1]));
      if (!avatar || answer?.status !== 200) return answer;
      const json = JSON.parse(Buffer.from(answer.body).toString());
      return { ...answer, body: Buffer.from(JSON.stringify({ ...json, avatar })) };
    }
    if (request.verb !== 'PUT' || path !== '/v1/profile') return handle.call(this, request);
    let body = null;
    try { body = JSON.parse(Buffer.from(request.body ?? []).toString()); } catch { body = null; }
    const answer = await handle.call(this, request);
    if (body?.avatar !== true || answer?.status !== 200) return answer;
    const key = `profiles/${crypto.randomBytes(12).toString('base64url')}`;
    const form = signedForm(key);
    forms.set(key, form);
    return { id: request.id, status: 200, message: null, headers: ['Content-Type:application/json'], body: Buffer.from(JSON.stringify(form)) };
  };

  const originals = server.https.listeners('request');
  server.https.removeAllListeners('request');
  server.https.on('request', (req, res) => {
    const cdnPath = new URL(req.url, 'https://mock').pathname.slice(1);
    if (req.method === 'GET' && cdnPath === 'storageService/v1/groups/avatar/form') {
      groupAvatarForm(req, res).catch(error => { res.statusCode = 500; res.end(String(error?.message ?? error)); });
      return;
    }
    if (req.method === 'GET' && (cdnPath.startsWith('profiles/') || cdnPath.startsWith('groups/'))) {
      downloads.set(cdnPath, (downloads.get(cdnPath) ?? 0) + 1);
      const blob = blobs.get(cdnPath);
      res.statusCode = blob ? 200 : 404;
      if (blob) res.setHeader('Content-Type', 'application/octet-stream');
      res.end(blob ?? undefined);
      return;
    }
    if (req.method !== 'POST' || new URL(req.url, 'https://mock').pathname !== '/') {
      for (const listener of originals) listener(req, res);
      return;
    }
    const chunks = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', async () => {
      try {
        const data = await new Response(Buffer.concat(chunks), { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData();
        const form = forms.get(String(data.get('key')));
        const file = data.get('file');
        if (!form || data.get('policy') !== form.policy || data.get('x-amz-signature') !== form.signature || !file || typeof file === 'string') {
          res.statusCode = 403;
          res.end();
          return;
        }
        forms.delete(form.key);
        last = { key: form.key, bytes: Buffer.from(await file.arrayBuffer()) };
        blobs.set(form.key, last.bytes);
        res.statusCode = 204;
        res.end();
      } catch (error) {
        res.statusCode = 400;
        res.end(String(error?.message ?? error));
      }
    });
  });

  // Group auth as the group server checks it (the group need not exist: a new group's avatar goes up first).
  async function groupAvatarForm(req, res) {
    const { username, password, error } = parseAuthHeader(req.headers.authorization);
    if (error || !username || !password) {
      res.statusCode = 400;
      res.end();
      return;
    }
    const publicParams = Buffer.from(username, 'hex');
    let auth;
    try {
      auth = await server.verifyGroupCredentials(publicParams, Buffer.from(password, 'hex'));
    } catch {
      res.statusCode = 403;
      res.end();
      return;
    }
    // As the group server: for a group that exists, only who may modify its attributes gets a form.
    const group = await server.getGroup(publicParams);
    if (group) {
      const member = group.getMember(auth.getUuidCiphertext());
      const access = group.state.accessControl?.attributes;
      const { AccessRequired } = Proto.AccessControl;
      const allowed = access === AccessRequired.ANY || (member && (access === AccessRequired.MEMBER
        || (access === AccessRequired.ADMINISTRATOR && member.role === Proto.Member.Role.ADMINISTRATOR)));
      if (!allowed) {
        res.statusCode = 403;
        res.end();
        return;
      }
    }
    const groupId = Buffer.from(new GroupPublicParams(publicParams).getGroupIdentifier().serialize()).toString('base64url');
    const form = signedForm(`groups/${groupId}/${crypto.randomBytes(12).toString('base64url')}`);
    forms.set(form.key, form);
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/x-protobuf');
    res.end(Buffer.from(Proto.AvatarUploadAttributes.encode(form)));
  }

  return {
    groupAvatar: async ({ masterKey }) => {
      const secretParams = secretParamsOf(masterKey);
      const group = await server.getGroup(secretParams.getPublicParams().serialize());
      if (!group) throw new Error('no such group on the server');
      const key = group.state.avatarUrl || null;
      if (!key) return { key: null };
      const blob = blobs.get(key);
      if (!blob) throw new Error(`the group names ${key}, which CDN 0 does not hold`);
      const plain = new ClientZkGroupCipher(secretParams).decryptBlob(blob);
      const avatar = Proto.GroupAttributeBlob.decode(plain)?.content?.avatar;
      return { key, image: avatar ? Buffer.from(avatar).toString('base64') : null };
    },

    setGroupAvatarAs: async ({ by = 'alice', masterKey, image, notify = [], timestamp = Date.now() }) => {
      const secretParams = secretParamsOf(masterKey);
      const serverGroup = await server.getGroup(secretParams.getPublicParams().serialize());
      if (!serverGroup) throw new Error('no such group on the server');
      const author = primary(by);
      const group = new Group({ secretParams, groupState: serverGroup.state });
      const groupId = Buffer.from(secretParams.getPublicParams().getGroupIdentifier().serialize()).toString('base64url');
      const key = `groups/${groupId}/${crypto.randomBytes(12).toString('base64url')}`;
      blobs.set(key, Buffer.from(group.encryptBlob({ content: { avatar: Buffer.from(image, 'base64') } })));
      const actions = { ...EMPTY_GROUP_ACTIONS, version: serverGroup.revision + 1, modifyAvatar: { avatar: key } };
      await modifyGroupAndAnnounce({ server, target, author, group, serverGroup, actions, masterKey, notify, timestamp });
      return { revision: serverGroup.revision, key };
    },

    setContactAvatar: async ({ name, image = null, oversize = null }) => {
      const contact = primary(name);
      let bytes;
      if (oversize != null) {
        bytes = crypto.randomBytes(oversize);
      } else {
        const nonce = crypto.randomBytes(12);
        const cipher = crypto.createCipheriv('aes-256-gcm', Buffer.from(contact.profileKey.serialize()), nonce);
        bytes = Buffer.concat([nonce, cipher.update(Buffer.from(image, 'base64')), cipher.final(), cipher.getAuthTag()]);
      }
      const key = `profiles/${crypto.randomBytes(12).toString('base64url')}`;
      blobs.set(key, bytes);
      avatarOf.set(contact.device.aci, key);
      return { key };
    },

    avatarDownloads: async ({ key }) => downloads.get(key) ?? 0,

    profileAvatar: async ({ profileKey }) => {
      if (!last) return null;
      const key = Buffer.from(profileKey, 'base64');
      const nonce = last.bytes.subarray(0, 12);
      const tag = last.bytes.subarray(last.bytes.length - 16);
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, nonce);
      decipher.setAuthTag(tag);
      const image = Buffer.concat([decipher.update(last.bytes.subarray(12, last.bytes.length - 16)), decipher.final()]);
      return { key: last.key, size: last.bytes.length, image: image.toString('base64') };
    },
  };
}
