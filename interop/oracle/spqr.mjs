// SPQR white-box oracle: libsignal exposes no SPQR API, so these ops run two real libsignal 0.100 sessions
// (Alice = initiator, Bob) in memory and report, per message, the SPQR message carried in the SignalMessage
// (protobuf field 5) and the pq_ratchet_state stored in each SessionRecord (RecordStructure 1 -> SessionStructure 15)
// before and after every encrypt and decrypt.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const SignalClient = require('@signalapp/libsignal-client');

const ALICE = '9d0652a3-dcc3-4d11-975f-74d61598733f';
const BOB = '796abedb-ca4e-4f18-8803-1fab5b9aaa5d';
const b64 = bytes => Buffer.from(bytes).toString('base64');

// --- a minimal protobuf field reader (wire types 0 and 2 are all these messages use) ---
function readVarint(buf, pos) {
  let value = 0n, shift = 0n;
  for (;;) {
    const b = buf[pos++];
    value |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) return [value, pos];
    shift += 7n;
  }
}
function fields(buf) {
  const out = [];
  let pos = 0;
  while (pos < buf.length) {
    let key;
    [key, pos] = readVarint(buf, pos);
    const tag = Number(key >> 3n), wt = Number(key & 7n);
    if (wt === 0) { let v; [v, pos] = readVarint(buf, pos); out.push({ tag, value: v }); }
    else if (wt === 2) { let len; [len, pos] = readVarint(buf, pos); out.push({ tag, bytes: buf.subarray(pos, pos + Number(len)) }); pos += Number(len); }
    else if (wt === 1) { pos += 8; } else if (wt === 5) { pos += 4; }
    else throw new Error(`wire type ${wt}`);
  }
  return out;
}
const field = (buf, tag) => fields(buf).filter(f => f.tag === tag).at(-1)?.bytes;

// SignalMessage = version byte || protobuf || 8-byte MAC; a PreKeySignalMessage carries one in field 4.
function signalMessageOf(ciphertext) {
  const outer = Buffer.from(ciphertext.serialize());
  return ciphertext.type() === SignalClient.CiphertextMessageType.PreKey ? Buffer.from(field(outer.subarray(1), 4)) : outer;
}
function pqOf(ciphertext) {
  const inner = signalMessageOf(ciphertext);
  return Buffer.from(field(inner.subarray(1, inner.length - 8), 5) ?? []);
}
function pqStateOf(record) {
  if (!record) return Buffer.alloc(0);
  const session = field(Buffer.from(record.serialize()), 1);
  return Buffer.from(session ? (field(session, 15) ?? []) : []);
}

class Sessions extends SignalClient.SessionStore {
  constructor() { super(); this.map = new Map(); }
  async saveSession(a, r) { this.map.set(a.toString(), r.serialize()); }
  async getSession(a) { const r = this.map.get(a.toString()); return r ? SignalClient.SessionRecord.deserialize(r) : null; }
  async getExistingSessions(as) { return Promise.all(as.map(a => this.getSession(a))); }
}
class Identities extends SignalClient.IdentityKeyStore {
  constructor(pair, regId) { super(); this.pair = pair; this.regId = regId; this.known = new Map(); }
  async getIdentityKey() { return this.pair.privateKey; }
  async getLocalRegistrationId() { return this.regId; }
  async saveIdentity(a, k) { const had = this.known.get(a.toString()); this.known.set(a.toString(), k); return had && !had.equals(k) ? 1 : 0; }
  async isTrustedIdentity() { return true; }
  async getIdentity(a) { return this.known.get(a.toString()) ?? null; }
}
class PreKeys extends SignalClient.PreKeyStore {
  constructor() { super(); this.m = new Map(); }
  async savePreKey(id, r) { this.m.set(id, r); } async getPreKey(id) { return this.m.get(id); } async removePreKey(id) { this.m.delete(id); }
}
class SignedPreKeys extends SignalClient.SignedPreKeyStore {
  constructor() { super(); this.m = new Map(); }
  async saveSignedPreKey(id, r) { this.m.set(id, r); } async getSignedPreKey(id) { return this.m.get(id); }
}
class KyberPreKeys extends SignalClient.KyberPreKeyStore {
  constructor() { super(); this.m = new Map(); }
  async saveKyberPreKey(id, r) { this.m.set(id, r); } async getKyberPreKey(id) { return this.m.get(id); } async markKyberPreKeyUsed() {}
}

function party(name, regId) {
  const identity = SignalClient.IdentityKeyPair.generate();
  return {
    name, address: SignalClient.ProtocolAddress.new(name, 1), identity,
    sessions: new Sessions(), identities: new Identities(identity, regId),
    preKeys: new PreKeys(), signedPreKeys: new SignedPreKeys(), kyberPreKeys: new KyberPreKeys(),
  };
}

async function newPair() {
  const alice = party(ALICE, 1111), bob = party(BOB, 2222);
  const spk = SignalClient.PrivateKey.generate();
  const spkSig = bob.identity.privateKey.sign(spk.getPublicKey().serialize());
  await bob.signedPreKeys.saveSignedPreKey(7, SignalClient.SignedPreKeyRecord.new(7, Date.now(), spk.getPublicKey(), spk, spkSig));
  const kyber = SignalClient.KEMKeyPair.generate();
  const kyberSig = bob.identity.privateKey.sign(kyber.getPublicKey().serialize());
  await bob.kyberPreKeys.saveKyberPreKey(9, SignalClient.KyberPreKeyRecord.new(9, Date.now(), kyber, kyberSig));
  const bundle = SignalClient.PreKeyBundle.new(2222, 1, null, null, 7, spk.getPublicKey(), spkSig,
    bob.identity.publicKey, 9, kyber.getPublicKey(), kyberSig);
  await SignalClient.processPreKeyBundle(bundle, bob.address, alice.address, alice.sessions, alice.identities);
  return { alice, bob };
}

const stateOf = async (p, peer) => pqStateOf(await p.sessions.getSession(peer.address));

// steps: a string ("ABBA": that party sends, the other receives at once) or a list of
// {send: "A"|"B"} / {deliver: messageIndex} for loss and reordering. Returns every SPQR message and state snapshot.
async function trace(steps) {
  const { alice, bob } = await newPair();
  const other = p => (p === alice ? bob : alice);
  const who = c => (c === 'A' ? alice : bob);
  const plan = typeof steps === 'string'
    ? [...steps].flatMap((c, i) => [{ send: c }, { deliver: i }])
    : steps;
  const sent = [], received = [];
  const initial = { alice: b64(await stateOf(alice, bob)) };
  for (const step of plan) {
    if (step.send) {
      const from = who(step.send), to = other(from);
      const record = await from.sessions.getSession(to.address);
      const before = pqStateOf(record);
      const ct = await SignalClient.signalEncrypt(Buffer.from(`m${sent.length}`), to.address, from.address, from.sessions, from.identities);
      const after = await stateOf(from, to);
      sent.push({
        from: step.send, ct, pq: b64(pqOf(ct)), before: b64(before), after: b64(after),
        signalMessage: b64(signalMessageOf(ct)), record: b64(record.serialize()),
      });
    } else {
      const m = sent[step.deliver];
      const from = who(m.from), to = other(from);
      const before = await stateOf(to, from);
      let error = null;
      try {
        if (m.ct.type() === SignalClient.CiphertextMessageType.PreKey) {
          await SignalClient.signalDecryptPreKey(SignalClient.PreKeySignalMessage.deserialize(m.ct.serialize()), from.address, to.address,
            to.sessions, to.identities, to.preKeys, to.signedPreKeys, to.kyberPreKeys);
        } else {
          await SignalClient.signalDecrypt(SignalClient.SignalMessage.deserialize(m.ct.serialize()), from.address, to.address, to.sessions, to.identities);
        }
      } catch (e) { error = String(e?.message ?? e); }
      const after = await stateOf(to, from);
      received.push({ message: step.deliver, before: b64(before), after: b64(after), error });
    }
  }
  return {
    initial,
    sent: sent.map(({ ct, ...rest }) => rest),
    received,
  };
}

export default {
  'spqr.trace': async args => trace(args.plan),
};
