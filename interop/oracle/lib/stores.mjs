// In-memory libsignal stores for the oracle's node-side parties. One version for every area, so that a fix to
// how node keeps sessions, identities or prekeys reaches every test. This folder holds no ops: interop/oracle.mjs
// loads only the *.mjs files directly inside oracle/.
import * as S from '@signalapp/libsignal-client';
import { toB64 } from './bytes.mjs';

/** The map key of a ProtocolAddress: `name.deviceId`, as ProtocolAddress.toString() spells it. */
export const addressKey = address => `${address.name()}.${address.deviceId()}`;

/** Sessions kept as serialized records, so that a test can read or replace the bytes (`records`). */
export class MemorySessionStore extends S.SessionStore {
  records = new Map();
  async saveSession(address, record) { this.records.set(addressKey(address), record.serialize()); }
  async getSession(address) {
    const r = this.records.get(addressKey(address));
    return r ? S.SessionRecord.deserialize(r) : null;
  }
  // Sealed sender v2 asks for every recipient's session at once; a missing one is the caller's mistake.
  async getExistingSessions(addresses) {
    return addresses.map(a => {
      const r = this.records.get(addressKey(a));
      if (!r) throw new Error(`no session for ${addressKey(a)}`);
      return S.SessionRecord.deserialize(r);
    });
  }
}

/**
 * The local identity and the remote identities seen so far (`known`). `trust` picks the rule for a remote key:
 * 'first-use' (the default) trusts a new address and an unchanged key, so a changed key stays untrusted until it
 * is saved explicitly; 'any' trusts every key, for areas that only look at what sessions carry.
 */
export class MemoryIdentityStore extends S.IdentityKeyStore {
  known = new Map();
  constructor(pair, registrationId, { trust = 'first-use' } = {}) {
    super();
    if (trust !== 'first-use' && trust !== 'any') throw new Error(`unknown trust rule ${trust}`);
    this.pair = pair;
    this.registrationId = registrationId;
    this.trust = trust;
  }
  async getIdentityKey() { return this.pair.privateKey; }
  async getLocalRegistrationId() { return this.registrationId; }
  async saveIdentity(address, key) {
    const old = this.known.get(addressKey(address));
    this.known.set(addressKey(address), key);
    return old && !old.equals(key) ? S.IdentityChange.ReplacedExisting : S.IdentityChange.NewOrUnchanged;
  }
  async isTrustedIdentity(address, key) {
    if (this.trust === 'any') return true;
    const old = this.known.get(addressKey(address));
    return !old || old.equals(key);
  }
  async getIdentity(address) { return this.known.get(addressKey(address)) ?? null; }
}

const lookup = (keys, id, what) => {
  const r = keys.get(id);
  if (!r) throw new Error(`no ${what} ${id}`);
  return r;
};

/** One-time prekeys by id; `removed` lists the ids libsignal consumed, in order. */
export class MemoryPreKeyStore extends S.PreKeyStore {
  keys = new Map();
  removed = [];
  async savePreKey(id, record) { this.keys.set(id, record); }
  async getPreKey(id) { return lookup(this.keys, id, 'prekey'); }
  async removePreKey(id) { this.keys.delete(id); this.removed.push(id); }
}

export class MemorySignedPreKeyStore extends S.SignedPreKeyStore {
  keys = new Map();
  async saveSignedPreKey(id, record) { this.keys.set(id, record); }
  async getSignedPreKey(id) { return lookup(this.keys, id, 'signed prekey'); }
}

/** Kyber prekeys by id; `used` lists each use libsignal reported (kyber id, signed prekey id, base key). */
export class MemoryKyberPreKeyStore extends S.KyberPreKeyStore {
  keys = new Map();
  used = [];
  async saveKyberPreKey(id, record) { this.keys.set(id, record); }
  async getKyberPreKey(id) { return lookup(this.keys, id, 'kyber prekey'); }
  async markKyberPreKeyUsed(id, signedId, baseKey) { this.used.push({ id, signedId, baseKey: toB64(baseKey.serialize()) }); }
}

/** Sender key records by sender address and distribution id, kept serialized. */
export class MemorySenderKeyStore extends S.SenderKeyStore {
  records = new Map();
  async saveSenderKey(sender, distributionId, record) { this.records.set(`${addressKey(sender)}::${distributionId}`, record.serialize()); }
  async getSenderKey(sender, distributionId) {
    const r = this.records.get(`${addressKey(sender)}::${distributionId}`);
    return r ? S.SenderKeyRecord.deserialize(r) : null;
  }
}

/** A full set of fresh stores for one device; `options` go to the identity store. */
export const memoryStores = (pair, registrationId, options) => ({
  sessions: new MemorySessionStore(),
  identities: new MemoryIdentityStore(pair, registrationId, options),
  preKeys: new MemoryPreKeyStore(),
  signedPreKeys: new MemorySignedPreKeyStore(),
  kyberPreKeys: new MemoryKyberPreKeyStore(),
  senderKeys: new MemorySenderKeyStore(),
});
