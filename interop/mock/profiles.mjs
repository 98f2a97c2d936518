// Profile commands for SignalSharp's mock harness (merged into its command table).
//   profileKeyOf {name} → base64 of the primary's 32-byte profile key (what its messages carry as profileKey).
//   rotateProfile {name, givenName, familyName?} → {profileKey}: the primary takes a new profile key and writes its
//     name under it as Signal's apps do (given ‖ 0 ‖ family, zero-padded to 53 or 257 bytes, AES-256-GCM with a
//     random nonce), with the access key and commitment that belong to the new key.
//   lastProfileWrite {} → {version, commitment, name, about, aboutEmoji, avatar, sameAvatar} | null: the last
//     PUT /v1/profile body the mock accepted (the mock keeps only the name of it).
//   checkProfileWrite {owner = 'linked', profileKey} → {versionMatches, commitmentMatches, givenName, familyName,
//     about, aboutEmoji}: what a contact holding `profileKey` reads from that last write, and whether its version
//     and commitment are the ones libsignal derives from that key for the owner's ACI.
// A PUT /v1/profile the mock accepted also sets the account's profile key commitment from its body, as Signal's server
// keeps it (the mock keeps only the name): the profile key credentials the mock then issues for the account are for
// the key its own device wrote. The mock's own primaries never write over the socket; a device linked to one writes
// the commitment the phone has already. It lets a primary SignalSharp registered itself create and join groups.
import { createRequire } from 'node:module';
import crypto from 'node:crypto';

const require = createRequire(import.meta.url);
const { ProfileKey, ProfileKeyCommitment } = require('@signalapp/libsignal-client/zkgroup');
const { Connection } = require('@signalapp/mock-server/src/server/ws/connection.js');
const { Aci } = require('@signalapp/libsignal-client');
const schemas = require('@signalapp/mock-server/src/data/schemas.js');

const pad = (bytes, sizes) => {
  const size = sizes.find(s => s >= bytes.length);
  if (size === undefined) throw new Error(`profile field of ${bytes.length} bytes is too long`);
  return Buffer.concat([bytes, Buffer.alloc(size - bytes.length)]);
};

const encrypt = (key, plain) => {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  return Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
};

const decrypt = (key, data) => {
  const iv = data.subarray(0, 12);
  const tag = data.subarray(data.length - 16);
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  const plain = Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]);
  let end = plain.length;
  while (end > 0 && plain[end - 1] === 0) end--;
  return plain.subarray(0, end);
};

// Every accepted PUT /v1/profile body, in order: the mock's route parses it with this schema.
const writes = [];
const parse = schemas.UpdateProfileSchema.safeParse.bind(schemas.UpdateProfileSchema);
schemas.UpdateProfileSchema.safeParse = body => {
  const result = parse(body);
  if (!result.error) writes.push(result.data);
  return result;
};

const handle = Connection.prototype.handleRequest;
Connection.prototype.handleRequest = async function (request) {
  const answer = await handle.call(this, request);
  if (request.verb !== 'PUT' || (request.path ?? '').split('?')[0] !== '/v1/profile' || answer?.status !== 200 || !this.device) return answer;
  let commitment = null;
  try { commitment = new ProfileKeyCommitment(Buffer.from(JSON.parse(Buffer.from(request.body ?? []).toString()).commitment, 'base64')); } catch { commitment = null; }
  const account = await this.server.getDeviceByServiceId(this.device.aci);
  if (commitment && account) account.profileKeyCommitment = commitment;
  return answer;
};

export default function profileCommands({ primary, target }) {
  return {
    profileKeyOf: async ({ name }) => Buffer.from(primary(name).profileKey.serialize()).toString('base64'),

    rotateProfile: async ({ name, givenName, familyName = null }) => {
      const contact = primary(name);
      const key = new ProfileKey(crypto.randomBytes(32));
      const raw = Buffer.from(key.serialize());
      const plain = familyName
        ? Buffer.concat([Buffer.from(givenName), Buffer.alloc(1), Buffer.from(familyName)])
        : Buffer.from(givenName);
      contact.profileKey = key;
      contact.profileName = givenName;
      contact.device.profileName = encrypt(raw, pad(plain, [53, 257]));
      contact.device.accessKey = Buffer.from(crypto.createCipheriv('aes-256-gcm', raw, Buffer.alloc(12)).update(Buffer.alloc(16)));
      contact.device.profileKeyCommitment = key.getCommitment(Aci.parseFromServiceIdString(contact.device.aci));
      return { profileKey: raw.toString('base64') };
    },

    lastProfileWrite: async () => writes.length === 0 ? null : writes[writes.length - 1],

    checkProfileWrite: async ({ owner = 'linked', profileKey }) => {
      const write = writes[writes.length - 1];
      if (!write) throw new Error('no PUT /v1/profile was accepted yet');
      const raw = Buffer.from(profileKey, 'base64');
      const key = new ProfileKey(raw);
      const aci = Aci.parseFromServiceIdString(target(owner).aci);
      const text = field => (field ? decrypt(raw, Buffer.from(field, 'base64')).toString('utf8') : null);
      const name = text(write.name) ?? '';
      const zero = name.indexOf('\0');
      return {
        versionMatches: write.version === key.getProfileKeyVersion(aci).toString(),
        commitmentMatches: Buffer.from(write.commitment, 'base64').equals(Buffer.from(key.getCommitment(aci).serialize())),
        givenName: zero < 0 ? name : name.slice(0, zero),
        familyName: zero < 0 ? null : name.slice(zero + 1),
        about: text(write.about),
        aboutEmoji: text(write.aboutEmoji),
        avatar: write.avatar,
        sameAvatar: write.sameAvatar,
      };
    },
  };
}
