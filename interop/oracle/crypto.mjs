// Oracle ops for SignalSharp.Crypto and the key/fingerprint parts of SignalSharp.Protocol: libsignal's own
// primitives, key records and fingerprints, plus node's crypto module as an independent reference for AES/HMAC.
import { createRequire } from 'node:module';
import nodeCrypto from 'node:crypto';
const require = createRequire(import.meta.url);
const S = require('@signalapp/libsignal-client');

const b = s => (s === null || s === undefined) ? null : new Uint8Array(Buffer.from(s, 'base64'));
const e = u => Buffer.from(u).toString('base64');

// Minimal protobuf reader (varint and length-delimited fields only) for peeking into node's SessionRecord.
function readProto(buf) {
  const fields = new Map();
  let i = 0;
  const varint = () => {
    let result = 0n, shift = 0n;
    for (;;) {
      const byte = buf[i++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const tag = key >> 3, wire = key & 7;
    let value;
    if (wire === 0) value = varint();
    else if (wire === 2) { const len = Number(varint()); value = buf.subarray(i, i + len); i += len; }
    else if (wire === 1) { value = buf.subarray(i, i + 8); i += 8; }
    else if (wire === 5) { value = buf.subarray(i, i + 4); i += 4; }
    else throw new Error(`unsupported wire type ${wire}`);
    if (!fields.has(tag)) fields.set(tag, []);
    fields.get(tag).push(value);
  }
  return fields;
}
const first = (fields, tag) => fields.get(tag)?.[0];

class MemIdentityStore extends S.IdentityKeyStore {
  constructor(pair, regId) { super(); this.pair = pair; this.regId = regId; this.known = new Map(); }
  async getIdentityKey() { return this.pair.privateKey; }
  async getLocalRegistrationId() { return this.regId; }
  async saveIdentity(name, key) {
    const k = name.toString(); const old = this.known.get(k); this.known.set(k, key);
    return old && !old.equals(key) ? S.IdentityChange.ReplacedExisting : S.IdentityChange.NewOrUnchanged;
  }
  async isTrustedIdentity(name, key) { const old = this.known.get(name.toString()); return !old || old.equals(key); }
  async getIdentity(name) { return this.known.get(name.toString()) ?? null; }
}
class MemSessionStore extends S.SessionStore {
  constructor() { super(); this.map = new Map(); }
  async saveSession(name, record) { this.map.set(name.toString(), record.serialize()); }
  async getSession(name) { const r = this.map.get(name.toString()); return r ? S.SessionRecord.deserialize(r) : null; }
  async getExistingSessions(addresses) { return Promise.all(addresses.map(a => this.getSession(a))); }
}

function bundleFromArgs(a) {
  return S.PreKeyBundle.new(
    a.registrationId, a.deviceId,
    a.preKeyId ?? null, a.preKey ? S.PublicKey.deserialize(b(a.preKey)) : null,
    a.signedPreKeyId, S.PublicKey.deserialize(b(a.signedPreKey)), b(a.signedPreKeySignature),
    S.PublicKey.deserialize(b(a.identityKey)),
    a.kyberPreKeyId, S.KEMPublicKey.deserialize(b(a.kyberPreKey)), b(a.kyberPreKeySignature));
}

// Keys are prepared once per loop call; only the operation itself repeats.
const benchKeys = (() => {
  let cached;
  return () => {
    if (!cached) {
      const priv = S.PrivateKey.generate();
      const msg = new Uint8Array(100).fill(7);
      cached = { priv, pub: priv.getPublicKey(), other: S.PrivateKey.generate().getPublicKey(), msg, sig: priv.sign(msg) };
    }
    return cached;
  };
})();
const loopBodies = {
  sign: () => { const k = benchKeys(); return () => k.priv.sign(k.msg); },
  verify: () => { const k = benchKeys(); return () => { if (!k.pub.verify(k.msg, k.sig)) throw new Error('verify failed'); }; },
  agree: () => { const k = benchKeys(); return () => k.priv.agree(k.other); },
  kemGenerate: () => () => S.KEMKeyPair.generate(),
};

export default {
  // --- Curve25519 / XEdDSA ---
  'crypto.generateKeyPair': async () => {
    const priv = S.PrivateKey.generate();
    return { privateKey: e(priv.serialize()), publicKey: e(priv.getPublicKey().serialize()) };
  },
  'crypto.publicKeyOf': async a => e(S.PrivateKey.deserialize(b(a.privateKey)).getPublicKey().serialize()),
  'crypto.privateKeyRoundTrip': async a => e(S.PrivateKey.deserialize(b(a.privateKey)).serialize()),
  'crypto.sign': async a => e(S.PrivateKey.deserialize(b(a.privateKey)).sign(b(a.message))),
  'crypto.verify': async a => S.PublicKey.deserialize(b(a.publicKey)).verify(b(a.message), b(a.signature)),
  'crypto.agree': async a => e(S.PrivateKey.deserialize(b(a.privateKey)).agree(S.PublicKey.deserialize(b(a.publicKey)))),
  'crypto.deserializePublicKey': async a => e(S.PublicKey.deserialize(b(a.publicKey)).serialize()),

  // --- symmetric primitives ---
  'crypto.hkdf': async a => e(S.hkdf(a.length, b(a.ikm), b(a.info), a.salt ? b(a.salt) : null)),
  'crypto.gcmSivEncrypt': async a => e(S.Aes256GcmSiv.new(b(a.key)).encrypt(b(a.data), b(a.nonce), b(a.aad))),
  'crypto.gcmSivDecrypt': async a => e(S.Aes256GcmSiv.new(b(a.key)).decrypt(b(a.data), b(a.nonce), b(a.aad))),
  'crypto.hmacSha256': async a => e(nodeCrypto.createHmac('sha256', b(a.key)).update(b(a.data)).digest()),
  // AES-256-CTR keystream with a 32-bit big-endian counter, built independently on node's AES-256-ECB.
  'crypto.aesCtr32': async a => {
    const key = b(a.key), nonce = b(a.nonce), data = b(a.data);
    let counter = a.counter >>> 0;
    const blocks = Math.ceil(data.length / 16);
    const counters = Buffer.alloc(blocks * 16);
    for (let i = 0; i < blocks; i++) {
      Buffer.from(nonce).copy(counters, i * 16);
      counters.writeUInt32BE(counter, i * 16 + 12);
      counter = (counter + 1) >>> 0;
    }
    const ecb = nodeCrypto.createCipheriv('aes-256-ecb', key, null).setAutoPadding(false);
    const stream = Buffer.concat([ecb.update(counters), ecb.final()]);
    return e(Buffer.from(data.map((x, i) => x ^ stream[i])));
  },
  'crypto.aesCbcEncrypt': async a => {
    const c = nodeCrypto.createCipheriv('aes-256-cbc', b(a.key), b(a.iv));
    return e(Buffer.concat([c.update(b(a.data)), c.final()]));
  },
  'crypto.aesGcmEncrypt': async a => {
    const c = nodeCrypto.createCipheriv('aes-256-gcm', b(a.key), b(a.nonce));
    c.setAAD(b(a.aad));
    const body = Buffer.concat([c.update(b(a.data)), c.final()]);
    return e(Buffer.concat([body, c.getAuthTag()]));
  },

  // --- Kyber1024 ---
  'crypto.kemGenerate': async () => {
    const pair = S.KEMKeyPair.generate();
    return { publicKey: e(pair.getPublicKey().serialize()), secretKey: e(pair.getSecretKey().serialize()) };
  },
  'crypto.kemRoundTrip': async a => ({
    publicKey: a.publicKey ? e(S.KEMPublicKey.deserialize(b(a.publicKey)).serialize()) : null,
    secretKey: a.secretKey ? e(S.KEMSecretKey.deserialize(b(a.secretKey)).serialize()) : null,
  }),

  // PQXDH as initiator against a bundle given by the caller; returns what Alice's session record holds so that
  // the caller can recompute the key agreement as Bob (white-box proof of KEM decapsulation and of the bundle's
  // signatures, which processPreKeyBundle checks).
  'crypto.pqxdhInitiate': async a => {
    const alice = S.IdentityKeyPair.generate();
    const identityStore = new MemIdentityStore(alice, 4321);
    const sessionStore = new MemSessionStore();
    const bobAddress = S.ProtocolAddress.new(a.remoteName ?? 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', a.deviceId);
    const aliceAddress = S.ProtocolAddress.new('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 1);
    await S.processPreKeyBundle(bundleFromArgs(a), bobAddress, aliceAddress, sessionStore, identityStore);
    const record = (await sessionStore.getSession(bobAddress)).serialize();
    const session = readProto(first(readProto(record), 1));
    const sender = readProto(first(session, 6));
    const receiver = readProto(first(session, 7));
    const pendingPreKey = readProto(first(session, 9));
    const pendingKyber = readProto(first(session, 14));
    return {
      aliceIdentityKey: e(alice.publicKey.serialize()),
      baseKey: e(first(pendingPreKey, 2)),
      kyberCiphertext: e(first(pendingKyber, 2)),
      rootKey: e(first(session, 4)),
      senderRatchetKey: e(first(sender, 1)),
      senderChainKey: e(first(readProto(first(sender, 3)), 2)),
      receiverRatchetKey: e(first(receiver, 1)),
      receiverChainKey: e(first(readProto(first(receiver, 3)), 2)),
    };
  },
  'crypto.bundleAccepted': async a => {
    const alice = S.IdentityKeyPair.generate();
    try {
      await S.processPreKeyBundle(bundleFromArgs(a), S.ProtocolAddress.new('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 1),
        S.ProtocolAddress.new('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 1), new MemSessionStore(), new MemIdentityStore(alice, 1));
      return { accepted: true };
    } catch (err) {
      return { accepted: false, error: String(err?.message ?? err) };
    }
  },

  // --- identity keys and records ---
  'crypto.identityKeyPairGenerate': async () => {
    const pair = S.IdentityKeyPair.generate();
    return { serialized: e(pair.serialize()), publicKey: e(pair.publicKey.serialize()), privateKey: e(pair.privateKey.serialize()) };
  },
  'crypto.identityKeyPairParse': async a => {
    const pair = S.IdentityKeyPair.deserialize(b(a.serialized));
    return { serialized: e(pair.serialize()), publicKey: e(pair.publicKey.serialize()), privateKey: e(pair.privateKey.serialize()) };
  },
  'crypto.signAlternateIdentity': async a =>
    e(S.IdentityKeyPair.deserialize(b(a.serialized)).signAlternateIdentity(S.PublicKey.deserialize(b(a.other)))),
  'crypto.verifyAlternateIdentity': async a =>
    S.PublicKey.deserialize(b(a.publicKey)).verifyAlternateIdentity(S.PublicKey.deserialize(b(a.other)), b(a.signature)),
  'crypto.preKeyRecordParse': async a => {
    const r = S.PreKeyRecord.deserialize(b(a.record));
    return { id: r.id(), publicKey: e(r.publicKey().serialize()), privateKey: e(r.privateKey().serialize()), serialized: e(r.serialize()) };
  },
  'crypto.preKeyRecordNew': async a => {
    const priv = S.PrivateKey.generate();
    return e(S.PreKeyRecord.new(a.id, priv.getPublicKey(), priv).serialize());
  },
  'crypto.signedPreKeyRecordParse': async a => {
    const r = S.SignedPreKeyRecord.deserialize(b(a.record));
    return { id: r.id(), timestamp: r.timestamp(), publicKey: e(r.publicKey().serialize()), privateKey: e(r.privateKey().serialize()),
      signature: e(r.signature()), serialized: e(r.serialize()) };
  },
  'crypto.signedPreKeyRecordNew': async a => {
    const identity = S.IdentityKeyPair.deserialize(b(a.identity));
    const priv = S.PrivateKey.generate();
    const sig = identity.privateKey.sign(priv.getPublicKey().serialize());
    return e(S.SignedPreKeyRecord.new(a.id, a.timestamp, priv.getPublicKey(), priv, sig).serialize());
  },
  'crypto.kyberPreKeyRecordParse': async a => {
    const r = S.KyberPreKeyRecord.deserialize(b(a.record));
    return { id: r.id(), timestamp: r.timestamp(), publicKey: e(r.publicKey().serialize()), secretKey: e(r.secretKey().serialize()),
      signature: e(r.signature()), serialized: e(r.serialize()) };
  },
  'crypto.kyberPreKeyRecordNew': async a => {
    const identity = S.IdentityKeyPair.deserialize(b(a.identity));
    const pair = S.KEMKeyPair.generate();
    const sig = identity.privateKey.sign(pair.getPublicKey().serialize());
    return e(S.KyberPreKeyRecord.new(a.id, a.timestamp, pair, sig).serialize());
  },

  // --- fingerprints ---
  'crypto.fingerprint': async a => {
    const f = S.Fingerprint.new(a.iterations, a.version, b(a.localId), S.PublicKey.deserialize(b(a.localKey)),
      b(a.remoteId), S.PublicKey.deserialize(b(a.remoteKey)));
    return { displayable: f.displayableFingerprint().toString(), scannable: e(f.scannableFingerprint().toBuffer()) };
  },
  'crypto.fingerprintCompare': async a =>
    S.ScannableFingerprint._fromBuffer(b(a.local)).compare(S.ScannableFingerprint._fromBuffer(b(a.remote))),

  // --- benchmarks: run one operation n times inside node, so that a single oracle call amortises the IPC ---
  'crypto.loop': async a => {
    const n = a.n ?? 100;
    const fn = loopBodies[a.op];
    if (!fn) throw new Error(`no loop body for ${a.op}`);
    const body = fn();
    for (let i = 0; i < n; i++) body();
    return n;
  },
};
