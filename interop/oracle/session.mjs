// 1:1 session ops for SignalSharp's session tests: node "parties" with in-memory stores that run libsignal's
// PQXDH + Double Ratchet + SPQR, so C# can talk to them. Every op that moves messages takes a batch, because a
// round trip over the oracle pipe costs far more than an encrypt.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const S = require('@signalapp/libsignal-client');
import { fromB64, toB64 } from './lib/bytes.mjs';
import { MemorySessionStore, memoryStores } from './lib/stores.mjs';

const address = a => S.ProtocolAddress.new(a.name, a.deviceId);

const parties = state => {
  if (!state.has('session.parties')) state.set('session.parties', new Map());
  return state.get('session.parties');
};

const party = (state, id) => {
  const p = parties(state).get(id);
  if (!p) throw new Error(`no party ${id}`);
  return p;
};

const newParty = (state, { id, name, deviceId, identityPrivate, registrationId }) => {
  const identity = identityPrivate
    ? new S.IdentityKeyPair(S.PrivateKey.deserialize(fromB64(identityPrivate)).getPublicKey(), S.PrivateKey.deserialize(fromB64(identityPrivate)))
    : S.IdentityKeyPair.generate();
  const regId = registrationId ?? 1 + Math.floor(Math.random() * 16380);
  // Trust on first use: a changed key stays untrusted until saved explicitly (session.trust).
  const { sessions, identities, preKeys, signedPreKeys, kyberPreKeys } = memoryStores(identity, regId);
  const p = {
    address: S.ProtocolAddress.new(name, deviceId ?? 1),
    identity,
    registrationId: regId,
    sessions, identities, preKeys, signedPreKeys, kyberPreKeys,
    nextId: 1 + Math.floor(Math.random() * 1000),
  };
  parties(state).set(id, p);
  return p;
};

// A fresh bundle: signed prekey, Kyber prekey, and optionally a one-time prekey, all stored with the party.
const makeBundle = (p, withOneTimePreKey) => {
  const spkId = p.nextId++, kyberId = p.nextId++, opkId = withOneTimePreKey ? p.nextId++ : null;
  const spk = S.PrivateKey.generate();
  const spkSig = p.identity.privateKey.sign(spk.getPublicKey().serialize());
  p.signedPreKeys.keys.set(spkId, S.SignedPreKeyRecord.new(spkId, Date.now(), spk.getPublicKey(), spk, spkSig));
  const kyber = S.KEMKeyPair.generate();
  const kyberSig = p.identity.privateKey.sign(kyber.getPublicKey().serialize());
  p.kyberPreKeys.keys.set(kyberId, S.KyberPreKeyRecord.new(kyberId, Date.now(), kyber, kyberSig));
  let opk = null;
  if (opkId !== null) {
    opk = S.PrivateKey.generate();
    p.preKeys.keys.set(opkId, S.PreKeyRecord.new(opkId, opk.getPublicKey(), opk));
  }
  return {
    registrationId: p.registrationId,
    deviceId: p.address.deviceId(),
    preKeyId: opkId,
    preKeyPublic: opk ? toB64(opk.getPublicKey().serialize()) : null,
    signedPreKeyId: spkId,
    signedPreKeyPublic: toB64(spk.getPublicKey().serialize()),
    signedPreKeySignature: toB64(spkSig),
    identityKey: toB64(p.identity.publicKey.serialize()),
    kyberPreKeyId: kyberId,
    kyberPreKeyPublic: toB64(kyber.getPublicKey().serialize()),
    kyberPreKeySignature: toB64(kyberSig),
    // Private halves, for white-box checks of key agreement only.
    secrets: {
      identityPrivate: toB64(p.identity.privateKey.serialize()),
      signedPreKeyPrivate: toB64(spk.serialize()),
      preKeyPrivate: opk ? toB64(opk.serialize()) : null,
      kyberSecret: toB64(kyber.getSecretKey().serialize()),
    },
  };
};

const toBundle = b => S.PreKeyBundle.new(
  b.registrationId, b.deviceId, b.preKeyId ?? null, b.preKeyPublic ? S.PublicKey.deserialize(fromB64(b.preKeyPublic)) : null,
  b.signedPreKeyId, S.PublicKey.deserialize(fromB64(b.signedPreKeyPublic)), fromB64(b.signedPreKeySignature),
  S.PublicKey.deserialize(fromB64(b.identityKey)), b.kyberPreKeyId, S.KEMPublicKey.deserialize(fromB64(b.kyberPreKeyPublic)),
  fromB64(b.kyberPreKeySignature));

const encryptOne = async (p, remote, plaintext, now) => {
  const m = await S.signalEncrypt(plaintext, remote, p.address, p.sessions, p.identities, now);
  return { type: m.type(), body: toB64(m.serialize()) };
};

const decryptOne = async (p, remote, m) => {
  const body = fromB64(m.body);
  if (m.type === 3) {
    return S.signalDecryptPreKey(S.PreKeySignalMessage.deserialize(body), remote, p.address, p.sessions, p.identities,
      p.preKeys, p.signedPreKeys, p.kyberPreKeys);
  }
  return S.signalDecrypt(S.SignalMessage.deserialize(body), remote, p.address, p.sessions, p.identities);
};

const errorInfo = e => ({ ok: false, code: e?.code ?? null, error: String(e?.message ?? e) });

export default {
  // {id, name, deviceId?, identityPrivate?, registrationId?} -> {identityKey, registrationId}
  'session.newParty': async (args, state) => {
    const p = newParty(state, args);
    return { identityKey: toB64(p.identity.publicKey.serialize()), identityPrivate: toB64(p.identity.privateKey.serialize()), registrationId: p.registrationId };
  },
  // {party, withOneTimePreKey} -> bundle fields (+ secrets)
  'session.bundle': async ({ party: id, withOneTimePreKey }, state) => makeBundle(party(state, id), withOneTimePreKey !== false),
  // {party, remote:{name,deviceId}, bundle, nowMs?}
  'session.processBundle': async ({ party: id, remote, bundle, nowMs }, state) => {
    const p = party(state, id);
    await S.processPreKeyBundle(toBundle(bundle), address(remote), p.address, p.sessions, p.identities, nowMs ? new Date(nowMs) : undefined);
    return true;
  },
  // {party, remote, plaintexts:[b64]} -> [{type, body}]
  'session.encrypt': async ({ party: id, remote, plaintexts, nowMs }, state) => {
    const p = party(state, id), r = address(remote), out = [];
    for (const pt of plaintexts) out.push(await encryptOne(p, r, fromB64(pt), nowMs ? new Date(nowMs) : undefined));
    return out;
  },
  // {party, remote, messages:[{type, body}]} -> [{ok, plaintext} | {ok:false, code, error}]; failures do not stop the batch
  'session.decrypt': async ({ party: id, remote, messages }, state) => {
    const p = party(state, id), r = address(remote), out = [];
    for (const m of messages) {
      try { out.push({ ok: true, plaintext: toB64(await decryptOne(p, r, m)) }); } catch (e) { out.push(errorInfo(e)); }
    }
    return out;
  },
  // Parses a C#-produced message with node's parsers and reports its fields.
  'session.parse': async ({ type, body }) => {
    if (type === 3) {
      const m = S.PreKeySignalMessage.deserialize(fromB64(body));
      return { version: m.version(), registrationId: m.registrationId(), preKeyId: m.preKeyId(), signedPreKeyId: m.signedPreKeyId() };
    }
    const m = S.SignalMessage.deserialize(fromB64(body));
    return { version: m.messageVersion(), counter: m.counter(), body: toB64(m.body()), pqRatchet: toB64(m.pqRatchet()) };
  },
  // Builds a SignalMessage with node's test constructor (chosen MAC key), to compare bytes with C#'s.
  'session.buildSignalMessage': async ({ version, macKey, ratchetKey, counter, previousCounter, ciphertext, senderIdentity, receiverIdentity, pqRatchet }) =>
    toB64(S.SignalMessage._new(version, fromB64(macKey), S.PublicKey.deserialize(fromB64(ratchetKey)), counter, previousCounter,
      fromB64(ciphertext), S.PublicKey.deserialize(fromB64(senderIdentity)), S.PublicKey.deserialize(fromB64(receiverIdentity)),
      fromB64(pqRatchet ?? '')).serialize()),
  'session.record': async ({ party: id, remote }, state) => {
    const r = party(state, id).sessions.records.get(`${remote.name}.${remote.deviceId}`);
    return r ? toB64(r) : null;
  },
  // What node makes of a record serialized elsewhere (C#): libsignal's own reading of the storage format.
  'session.recordInfo': async ({ record, nowMs }) => {
    const r = S.SessionRecord.deserialize(fromB64(record));
    const orNull = f => { try { return f(); } catch { return null; } }; // no current state: no ids
    return {
      hasCurrentState: r.hasCurrentState(nowMs ? new Date(nowMs) : undefined),
      localRegistrationId: orNull(() => r.localRegistrationId()),
      remoteRegistrationId: orNull(() => r.remoteRegistrationId()),
    };
  },
  // Replaces a party's stored record with bytes written elsewhere (C#): libsignal must load and continue it.
  'session.setRecord': async ({ party: id, remote, record }, state) => {
    S.SessionRecord.deserialize(fromB64(record)); // fail here, not later, if libsignal cannot read it
    party(state, id).sessions.records.set(`${remote.name}.${remote.deviceId}`, fromB64(record));
    return true;
  },
  'session.archive': async ({ party: id, remote }, state) => {
    const p = party(state, id), key = `${remote.name}.${remote.deviceId}`;
    const rec = S.SessionRecord.deserialize(p.sessions.records.get(key));
    rec.archiveCurrentState();
    p.sessions.records.set(key, rec.serialize());
    return true;
  },
  'session.hasCurrentState': async ({ party: id, remote, nowMs }, state) => {
    const r = party(state, id).sessions.records.get(`${remote.name}.${remote.deviceId}`);
    return r ? S.SessionRecord.deserialize(r).hasCurrentState(nowMs ? new Date(nowMs) : undefined) : false;
  },
  // Accepts whatever identity key the remote now has (the user approved the safety number change).
  'session.trust': async ({ party: id, remote, identityKey }, state) => {
    party(state, id).identities.known.set(`${remote.name}.${remote.deviceId}`, S.PublicKey.deserialize(fromB64(identityKey)));
    return true;
  },
  'session.storeLog': async ({ party: id }, state) => {
    const p = party(state, id);
    return { removedPreKeys: p.preKeys.removed, kyberUsed: p.kyberPreKeys.used, preKeyIds: [...p.preKeys.keys.keys()] };
  },
  // Benchmark support: the same workloads as bench/SignalSharp.Bench/Protocol/SessionBenchmarks.cs, run inside
  // node so that only libsignal's own time (and its JS stores, as an app would have them) is measured per op.
  // benchInit: an acknowledged session between two fresh parties, plus a bundle (no one-time prekey) for setups.
  'session.benchInit': async ({ size }, state) => {
    const st = new Map();
    const a = newParty(st, { id: 'a', name: '9d0652a3-dcc3-4d11-975f-74d61598733f', deviceId: 1 });
    const b = newParty(st, { id: 'b', name: '796abedb-ca4e-4f18-8803-1fde5b921f9f', deviceId: 1 });
    const pt = new Uint8Array(size ?? 159);
    await S.processPreKeyBundle(toBundle(makeBundle(b, true)), b.address, a.address, a.sessions, a.identities);
    await decryptOne(b, a.address, await encryptOne(a, b.address, pt));
    await decryptOne(a, b.address, await encryptOne(b, a.address, pt));
    const setupBundle = toBundle(makeBundle(b, false));
    state.set('session.bench', { a, b, pt, setupBundle, counter: 0 });
    return true;
  },
  // n messages, each encrypted by one side and decrypted by the other; the direction flips every `burst` messages.
  'session.benchMessages': async ({ n, burst }, state) => {
    const bench = state.get('session.bench');
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++, bench.counter++) {
      const [from, to] = Math.floor(bench.counter / (burst ?? 1)) % 2 === 0 ? [bench.a, bench.b] : [bench.b, bench.a];
      await decryptOne(to, from.address, await encryptOne(from, to.address, bench.pt));
    }
    return Number(process.hrtime.bigint() - t0) / n;
  },
  // n PQXDH setups from the prepared bundle with fresh session stores: bundle processing, the first PreKey
  // message, and its decryption by the responder.
  'session.benchSetups': async ({ n }, state) => {
    const { a, b, pt, setupBundle } = state.get('session.bench');
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      a.sessions = new MemorySessionStore();
      b.sessions = new MemorySessionStore();
      await S.processPreKeyBundle(setupBundle, b.address, a.address, a.sessions, a.identities);
      await decryptOne(b, a.address, await encryptOne(a, b.address, pt));
    }
    return Number(process.hrtime.bigint() - t0) / n;
  },
};
