// Oracle ops for SPQR's maths (erasure code, split ML-KEM-768): drive two libsignal sessions through a send plan
// and report, per message, the SPQR wire bytes and both parties' PqRatchetState (SessionRecord field 1 -> 15).
// node exposes no SPQR API, so the states inside session records are the only window onto libcrux/spqr bytes.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const SignalClient = require('@signalapp/libsignal-client');

const b64 = bytes => Buffer.from(bytes).toString('base64');

// Minimal protobuf reader: returns [{ field, wire, value }] where value is a Buffer (len) or BigInt (varint).
function readFields(buf) {
  const out = [];
  let pos = 0;
  const varint = () => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[pos++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const field = key >> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ field, wire, value: varint() });
    else if (wire === 2) {
      const len = Number(varint());
      out.push({ field, wire, value: buf.subarray(pos, pos + len) });
      pos += len;
    } else if (wire === 1) { pos += 8; } else if (wire === 5) { pos += 4; } else throw new Error(`wire type ${wire}`);
  }
  return out;
}

const firstBytes = (buf, field) => readFields(buf).find(f => f.field === field && f.wire === 2)?.value;

function pqStateOf(record) {
  if (!record) return Buffer.alloc(0);
  const session = firstBytes(Buffer.from(record.serialize()), 1);
  if (!session) return null;
  return firstBytes(session, 15) ?? Buffer.alloc(0);
}

// SignalMessage bytes: version byte || protobuf || 8-byte MAC; pq_ratchet is field 5.
const pqFieldOfSignalMessage = bytes => firstBytes(Buffer.from(bytes).subarray(1, bytes.length - 8), 5) ?? Buffer.alloc(0);

class MemorySessionStore extends SignalClient.SessionStore {
  constructor() { super(); this.sessions = new Map(); }
  async saveSession(name, record) { this.sessions.set(name.toString(), record.serialize()); }
  async getSession(name) {
    const bytes = this.sessions.get(name.toString());
    return bytes ? SignalClient.SessionRecord.deserialize(bytes) : null;
  }
  async getExistingSessions(addresses) { return Promise.all(addresses.map(a => this.getSession(a))); }
}

class MemoryIdentityStore extends SignalClient.IdentityKeyStore {
  constructor(identity, registrationId) { super(); this.identity = identity; this.registrationId = registrationId; this.known = new Map(); }
  async getIdentityKey() { return this.identity.privateKey; }
  async getLocalRegistrationId() { return this.registrationId; }
  async saveIdentity(name, key) { this.known.set(name.toString(), key); return SignalClient.IdentityChange.NewOrUnchanged; }
  async isTrustedIdentity() { return true; }
  async getIdentity(name) { return this.known.get(name.toString()) ?? null; }
}

class MemoryPreKeyStore extends SignalClient.PreKeyStore {
  constructor() { super(); this.keys = new Map(); }
  async savePreKey(id, record) { this.keys.set(id, record); }
  async getPreKey(id) { return this.keys.get(id); }
  async removePreKey(id) { this.keys.delete(id); }
}

class MemorySignedPreKeyStore extends SignalClient.SignedPreKeyStore {
  constructor() { super(); this.keys = new Map(); }
  async saveSignedPreKey(id, record) { this.keys.set(id, record); }
  async getSignedPreKey(id) { return this.keys.get(id); }
}

class MemoryKyberPreKeyStore extends SignalClient.KyberPreKeyStore {
  constructor() { super(); this.keys = new Map(); }
  async saveKyberPreKey(id, record) { this.keys.set(id, record); }
  async getKyberPreKey(id) { return this.keys.get(id); }
  async markKyberPreKeyUsed() {}
}

function party(name, registrationId) {
  const identity = SignalClient.IdentityKeyPair.generate();
  return {
    address: SignalClient.ProtocolAddress.new(name, 1),
    identity,
    sessions: new MemorySessionStore(),
    identities: new MemoryIdentityStore(identity, registrationId),
    preKeys: new MemoryPreKeyStore(),
    signedPreKeys: new MemorySignedPreKeyStore(),
    kyberPreKeys: new MemoryKyberPreKeyStore(),
  };
}

async function trace(plan) {
  const alice = party('9d0652a3-dcc3-4d11-975f-74d61598733f', 1111);
  const bob = party('796abedb-ca4e-4f18-8803-1fde5b921f9f', 2222);

  const preKey = SignalClient.PrivateKey.generate();
  const signedPreKey = SignalClient.PrivateKey.generate();
  const kyber = SignalClient.KEMKeyPair.generate();
  const signedSig = bob.identity.privateKey.sign(signedPreKey.getPublicKey().serialize());
  const kyberSig = bob.identity.privateKey.sign(kyber.getPublicKey().serialize());
  await bob.preKeys.savePreKey(1, SignalClient.PreKeyRecord.new(1, preKey.getPublicKey(), preKey));
  await bob.signedPreKeys.saveSignedPreKey(2, SignalClient.SignedPreKeyRecord.new(2, 42, signedPreKey.getPublicKey(), signedPreKey, signedSig));
  await bob.kyberPreKeys.saveKyberPreKey(3, SignalClient.KyberPreKeyRecord.new(3, 42, kyber, kyberSig));
  const bundle = SignalClient.PreKeyBundle.new(2222, 1, 1, preKey.getPublicKey(), 2, signedPreKey.getPublicKey(), signedSig,
    bob.identity.publicKey, 3, kyber.getPublicKey(), kyberSig);
  await SignalClient.processPreKeyBundle(bundle, bob.address, alice.address, alice.sessions, alice.identities);

  const steps = [];
  for (const who of plan) {
    const [from, to] = who.toUpperCase() === 'A' ? [alice, bob] : [bob, alice];
    const delivered = who === who.toUpperCase();
    const ciphertext = await SignalClient.signalEncrypt(Buffer.from('spqr-math'), to.address, from.address, from.sessions, from.identities);
    let inner;
    if (ciphertext.type() === SignalClient.CiphertextMessageType.PreKey) {
      const message = SignalClient.PreKeySignalMessage.deserialize(ciphertext.serialize());
      inner = firstBytes(Buffer.from(message.serialize()).subarray(1), 4);
      if (delivered) await SignalClient.signalDecryptPreKey(message, from.address, to.address, to.sessions, to.identities,
        to.preKeys, to.signedPreKeys, to.kyberPreKeys);
    } else {
      inner = Buffer.from(ciphertext.serialize());
      if (delivered) await SignalClient.signalDecrypt(SignalClient.SignalMessage.deserialize(ciphertext.serialize()), from.address, to.address,
        to.sessions, to.identities);
    }
    steps.push({
      from: who.toUpperCase(),
      delivered,
      pq: b64(pqFieldOfSignalMessage(inner)),
      alice: b64(pqStateOf(await alice.sessions.getSession(bob.address))),
      bob: b64(pqStateOf(await bob.sessions.getSession(alice.address))),
    });
  }
  return steps;
}

export default {
  // args: { plan: "ABAB..." }: A = Alice sends, B = Bob sends, each message delivered at once; a lowercase letter
  // sends a message that is lost (never decrypted).
  'spqrmath.trace': async args => trace(String(args.plan ?? '')),
};
