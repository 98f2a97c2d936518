// Versioned profiles, which Signal's server keeps and the mock 27.0.0 does not (its PUT /v1/profile stores only the
// name on the writing device, and its GET serves the primary's name whatever version is asked); our own code,
// merged into harness.mjs after avatars.mjs:
//   PUT /v1/profile (an account's own device): besides the mock's handling, the write is kept per (ACI, version) with
//     its encrypted name, about, emoji, commitment and avatar path (the upload form's key when avatar: true; the
//     previous version's path when sameAvatar), as the real server stores a version per profile key.
//   GET /v1/profile/<aci>/<version>[/<request>]: for a version kept here, the mock's answer with that version's
//     fields, and the expiring profile key credential issued against that version's commitment (the mock would use
//     the primary's, made from the key it was created with).
// Commands: fetchProfile {owner='linked', profileKey} → {found, version, givenName, familyName, about, aboutEmoji,
//   avatar}: what a contact holding `profileKey` (base64) reads of `owner`'s profile: the version libsignal derives
//   from that key and the owner's ACI is looked up as GET /v1/profile/<aci>/<version> does, and its fields are
//   decrypted with the key (AES-256-GCM, nonce ‖ ciphertext ‖ tag, zero padding dropped). found=false when the
//   server holds no profile under that key's version.
import { createRequire } from 'node:module';
import crypto from 'node:crypto';

const require = createRequire(import.meta.url);
const { Connection } = require('@signalapp/mock-server/src/server/ws/connection.js');
const { ProfileKey, ProfileKeyCommitment, ProfileKeyCredentialRequest } = require('@signalapp/libsignal-client/zkgroup');
const { Aci } = require('@signalapp/libsignal-client');

const open = (key, data) => {
  if (!data) return null;
  const bytes = Buffer.from(data, 'base64');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  const plain = Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]);
  let end = plain.length;
  while (end > 0 && plain[end - 1] === 0) end--;
  return plain.subarray(0, end).toString('utf8');
};

export default function profileVersionCommands({ server, target }) {
  const versions = new Map(); // ACI → Map(version → {name, about, aboutEmoji, commitment, avatar})
  const latest = new Map(); // ACI → the version last written

  const handle = Connection.prototype.handleRequest;
  Connection.prototype.handleRequest = async function (request) {
    const [path, query = ''] = (request.path ?? '').split('?');
    if (request.verb === 'PUT' && path === '/v1/profile' && this.device) {
      let body = null;
      try { body = JSON.parse(Buffer.from(request.body ?? []).toString()); } catch { body = null; }
      const answer = await handle.call(this, request);
      if (answer?.status !== 200 || !body?.version) return answer;
      const aci = this.device.aci;
      const previous = latest.has(aci) ? versions.get(aci).get(latest.get(aci)) : null;
      let avatar = null;
      if (body.avatar === true) avatar = JSON.parse(Buffer.from(answer.body).toString()).key ?? null;
      else if (body.sameAvatar) avatar = previous?.avatar ?? null;
      if (!versions.has(aci)) versions.set(aci, new Map());
      versions.get(aci).set(body.version, {
        name: body.name ?? null, about: body.about ?? null, aboutEmoji: body.aboutEmoji ?? null,
        commitment: Buffer.from(body.commitment, 'base64'), avatar,
      });
      latest.set(aci, body.version);
      return answer;
    }
    const match = request.verb === 'GET' ? /^\/v1\/profile\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(path) : null;
    const aci = match ? decodeURIComponent(match[1]).replace(/^ACI:/i, '') : null;
    const kept = match ? versions.get(aci)?.get(decodeURIComponent(match[2])) : null;
    if (!kept) return handle.call(this, request);
    // The mock checks access and gives the identity key; the version's own fields and credential replace its.
    const answer = await handle.call(this, { ...request, path: `/v1/profile/${match[1]}/${match[2]}` });
    if (answer?.status !== 200) return answer;
    const json = JSON.parse(Buffer.from(answer.body).toString());
    json.name = kept.name ?? undefined;
    json.about = kept.about ?? undefined;
    json.aboutEmoji = kept.aboutEmoji ?? undefined;
    json.avatar = kept.avatar ?? undefined;
    if (match[3]) {
      if (!new URLSearchParams(query).get('credentialType')?.startsWith('expiringProfileKey')) {
        return { ...answer, status: 400, body: Buffer.from(JSON.stringify({ error: 'Unsupported credential type' })) };
      }
      const credential = await server.issueExpiringProfileKeyCredential(
        { aci, profileKeyCommitment: new ProfileKeyCommitment(kept.commitment) },
        new ProfileKeyCredentialRequest(Buffer.from(match[3], 'hex')));
      json.credential = credential?.toString('base64');
    }
    return { ...answer, body: Buffer.from(JSON.stringify(json)) };
  };

  return {
    fetchProfile: async ({ owner = 'linked', profileKey }) => {
      const raw = Buffer.from(profileKey, 'base64');
      const aci = target(owner).aci;
      const version = new ProfileKey(raw).getProfileKeyVersion(Aci.parseFromServiceIdString(aci)).toString();
      const kept = versions.get(aci)?.get(version);
      if (!kept) return { found: false, version };
      const name = open(raw, kept.name) ?? '';
      const zero = name.indexOf('\0');
      return {
        found: true,
        version,
        givenName: zero < 0 ? name : name.slice(0, zero),
        familyName: zero < 0 ? null : name.slice(zero + 1),
        about: open(raw, kept.about),
        aboutEmoji: open(raw, kept.aboutEmoji),
        avatar: kept.avatar,
      };
    },
  };
}
