// Oracle ops for SignalSharp.Crypto and the key/fingerprint parts of SignalSharp.Protocol: libsignal's own
// primitives, key records and fingerprints, plus node's crypto module as an independent reference for AES/HMAC.
import { createRequire } from 'node:module';
import nodeCrypto from 'node:crypto';
const require = createRequire(import.meta.url);
const S = require('@signalapp/libsignal-client');
import { fromB64, toB64 } from './lib/bytes.mjs';
import { MemoryIdentityStore, MemorySessionStore } from './lib/stores.mjs';
import { firstValue } from './lib/proto.mjs';



function bundleFromArgs(a) {
  return S.PreKeyBundle.new(
    a.registrationId, a.deviceId,
    a.preKeyId ?? null, a.preKey ? S.PublicKey.deserialize(fromB64(a.preKey)) : null,
    a.signedPreKeyId, S.PublicKey.deserialize(fromB64(a.signedPreKey)), fromB64(a.signedPreKeySignature),
    S.PublicKey.deserialize(fromB64(a.identityKey)),
    a.kyberPreKeyId, S.KEMPublicKey.deserialize(fromB64(a.kyberPreKey)), fromB64(a.kyberPreKeySignature));
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
    return { privateKey: toB64(priv.serialize()), publicKey: toB64(priv.getPublicKey().serialize()) };
  },
  'crypto.publicKeyOf': async a => toB64(S.PrivateKey.deserialize(fromB64(a.privateKey)).getPublicKey().serialize()),
  'crypto.privateKeyRoundTrip': async a => toB64(S.PrivateKey.deserialize(fromB64(a.privateKey)).serialize()),
  'crypto.sign': async a => toB64(S.PrivateKey.deserialize(fromB64(a.privateKey)).sign(fromB64(a.message))),
  'crypto.verify': async a => S.PublicKey.deserialize(fromB64(a.publicKey)).verify(fromB64(a.message), fromB64(a.signature)),
  'crypto.agree': async a => toB64(S.PrivateKey.deserialize(fromB64(a.privateKey)).agree(S.PublicKey.deserialize(fromB64(a.publicKey)))),
  'crypto.deserializePublicKey': async a => toB64(S.PublicKey.deserialize(fromB64(a.publicKey)).serialize()),

  // --- symmetric primitives ---
  'crypto.hkdf': async a => toB64(S.hkdf(a.length, fromB64(a.ikm), fromB64(a.info), a.salt ? fromB64(a.salt) : null)),
  'crypto.gcmSivEncrypt': async a => toB64(S.Aes256GcmSiv.new(fromB64(a.key)).encrypt(fromB64(a.data), fromB64(a.nonce), fromB64(a.aad))),
  'crypto.gcmSivDecrypt': async a => toB64(S.Aes256GcmSiv.new(fromB64(a.key)).decrypt(fromB64(a.data), fromB64(a.nonce), fromB64(a.aad))),
  'crypto.hmacSha256': async a => toB64(nodeCrypto.createHmac('sha256', fromB64(a.key)).update(fromB64(a.data)).digest()),
  // AES-256-CTR keystream with a 32-bit big-endian counter, built independently on node's AES-256-ECB.
  'crypto.aesCtr32': async a => {
    const key = fromB64(a.key), nonce = fromB64(a.nonce), data = fromB64(a.data);
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
    return toB64(Buffer.from(data.map((x, i) => x ^ stream[i])));
  },
  'crypto.aesCbcEncrypt': async a => {
    const c = nodeCrypto.createCipheriv('aes-256-cbc', fromB64(a.key), fromB64(a.iv));
    return toB64(Buffer.concat([c.update(fromB64(a.data)), c.final()]));
  },
  'crypto.aesGcmEncrypt': async a => {
    const c = nodeCrypto.createCipheriv('aes-256-gcm', fromB64(a.key), fromB64(a.nonce));
    c.setAAD(fromB64(a.aad));
    const body = Buffer.concat([c.update(fromB64(a.data)), c.final()]);
    return toB64(Buffer.concat([body, c.getAuthTag()]));
  },

  // --- Kyber1024 ---
  'crypto.kemGenerate': async () => {
    const pair = S.KEMKeyPair.generate();
    return { publicKey: toB64(pair.getPublicKey().serialize()), secretKey: toB64(pair.getSecretKey().serialize()) };
  },
  'crypto.kemRoundTrip': async a => ({
    publicKey: a.publicKey ? toB64(S.KEMPublicKey.deserialize(fromB64(a.publicKey)).serialize()) : null,
    secretKey: a.secretKey ? toB64(S.KEMSecretKey.deserialize(fromB64(a.secretKey)).serialize()) : null,
  }),

  // PQXDH as initiator against a bundle given by the caller; returns what Alice's session record holds so that
  // the caller can recompute the key agreement as Bob (white-box proof of KEM decapsulation and of the bundle's
  // signatures, which processPreKeyBundle checks).
  'crypto.pqxdhInitiate': async a => {
    const alice = S.IdentityKeyPair.generate();
    const identityStore = new MemoryIdentityStore(alice, 4321);
    const sessionStore = new MemorySessionStore();
    const bobAddress = S.ProtocolAddress.new(a.remoteName ?? 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', a.deviceId);
    const aliceAddress = S.ProtocolAddress.new('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 1);
    await S.processPreKeyBundle(bundleFromArgs(a), bobAddress, aliceAddress, sessionStore, identityStore);
    const record = (await sessionStore.getSession(bobAddress)).serialize();
    // SessionRecord 1 = SessionStructure: 4 root key, 6 sender chain, 7 receiver chains, 9 pending prekey, 14 pending Kyber.
    const session = firstValue(record, 1);
    const sender = firstValue(session, 6);
    const receiver = firstValue(session, 7);
    return {
      aliceIdentityKey: toB64(alice.publicKey.serialize()),
      baseKey: toB64(firstValue(firstValue(session, 9), 2)),
      kyberCiphertext: toB64(firstValue(firstValue(session, 14), 2)),
      rootKey: toB64(firstValue(session, 4)),
      senderRatchetKey: toB64(firstValue(sender, 1)),
      senderChainKey: toB64(firstValue(firstValue(sender, 3), 2)),
      receiverRatchetKey: toB64(firstValue(receiver, 1)),
      receiverChainKey: toB64(firstValue(firstValue(receiver, 3), 2)),
    };
  },
  'crypto.bundleAccepted': async a => {
    const alice = S.IdentityKeyPair.generate();
    try {
      await S.processPreKeyBundle(bundleFromArgs(a), S.ProtocolAddress.new('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 1),
        S.ProtocolAddress.new('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 1), new MemorySessionStore(), new MemoryIdentityStore(alice, 1));
      return { accepted: true };
    } catch (err) {
      return { accepted: false, error: String(err?.message ?? err) };
    }
  },

  // --- identity keys and records ---
  'crypto.identityKeyPairGenerate': async () => {
    const pair = S.IdentityKeyPair.generate();
    return { serialized: toB64(pair.serialize()), publicKey: toB64(pair.publicKey.serialize()), privateKey: toB64(pair.privateKey.serialize()) };
  },
  'crypto.identityKeyPairParse': async a => {
    const pair = S.IdentityKeyPair.deserialize(fromB64(a.serialized));
    return { serialized: toB64(pair.serialize()), publicKey: toB64(pair.publicKey.serialize()), privateKey: toB64(pair.privateKey.serialize()) };
  },
  'crypto.signAlternateIdentity': async a =>
    toB64(S.IdentityKeyPair.deserialize(fromB64(a.serialized)).signAlternateIdentity(S.PublicKey.deserialize(fromB64(a.other)))),
  'crypto.verifyAlternateIdentity': async a =>
    S.PublicKey.deserialize(fromB64(a.publicKey)).verifyAlternateIdentity(S.PublicKey.deserialize(fromB64(a.other)), fromB64(a.signature)),
  'crypto.preKeyRecordParse': async a => {
    const r = S.PreKeyRecord.deserialize(fromB64(a.record));
    return { id: r.id(), publicKey: toB64(r.publicKey().serialize()), privateKey: toB64(r.privateKey().serialize()), serialized: toB64(r.serialize()) };
  },
  'crypto.preKeyRecordNew': async a => {
    const priv = S.PrivateKey.generate();
    return toB64(S.PreKeyRecord.new(a.id, priv.getPublicKey(), priv).serialize());
  },
  'crypto.signedPreKeyRecordParse': async a => {
    const r = S.SignedPreKeyRecord.deserialize(fromB64(a.record));
    return { id: r.id(), timestamp: r.timestamp(), publicKey: toB64(r.publicKey().serialize()), privateKey: toB64(r.privateKey().serialize()),
      signature: toB64(r.signature()), serialized: toB64(r.serialize()) };
  },
  'crypto.signedPreKeyRecordNew': async a => {
    const identity = S.IdentityKeyPair.deserialize(fromB64(a.identity));
    const priv = S.PrivateKey.generate();
    const sig = identity.privateKey.sign(priv.getPublicKey().serialize());
    return toB64(S.SignedPreKeyRecord.new(a.id, a.timestamp, priv.getPublicKey(), priv, sig).serialize());
  },
  'crypto.kyberPreKeyRecordParse': async a => {
    const r = S.KyberPreKeyRecord.deserialize(fromB64(a.record));
    return { id: r.id(), timestamp: r.timestamp(), publicKey: toB64(r.publicKey().serialize()), secretKey: toB64(r.secretKey().serialize()),
      signature: toB64(r.signature()), serialized: toB64(r.serialize()) };
  },
  'crypto.kyberPreKeyRecordNew': async a => {
    const identity = S.IdentityKeyPair.deserialize(fromB64(a.identity));
    const pair = S.KEMKeyPair.generate();
    const sig = identity.privateKey.sign(pair.getPublicKey().serialize());
    return toB64(S.KyberPreKeyRecord.new(a.id, a.timestamp, pair, sig).serialize());
  },

  // --- fingerprints ---
  'crypto.fingerprint': async a => {
    const f = S.Fingerprint.new(a.iterations, a.version, fromB64(a.localId), S.PublicKey.deserialize(fromB64(a.localKey)),
      fromB64(a.remoteId), S.PublicKey.deserialize(fromB64(a.remoteKey)));
    return { displayable: f.displayableFingerprint().toString(), scannable: toB64(f.scannableFingerprint().toBuffer()) };
  },
  'crypto.fingerprintCompare': async a =>
    S.ScannableFingerprint._fromBuffer(fromB64(a.local)).compare(S.ScannableFingerprint._fromBuffer(fromB64(a.remote))),

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
