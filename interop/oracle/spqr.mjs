// SPQR white-box oracle: libsignal exposes no SPQR API, so these ops run two real libsignal 0.100 sessions
// (Alice = initiator, Bob) in memory and report, per message, the SPQR message carried in the SignalMessage
// (protobuf field 5) and the pq_ratchet_state stored in each SessionRecord (RecordStructure 1 -> SessionStructure 15)
// before and after every encrypt and decrypt.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const SignalClient = require('@signalapp/libsignal-client');
import { toB64 } from './lib/bytes.mjs';
import { memoryStores } from './lib/stores.mjs';
import { lastBytes, readFields } from './lib/proto.mjs';

const ALICE = '9d0652a3-dcc3-4d11-975f-74d61598733f';
const BOB = '796abedb-ca4e-4f18-8803-1fab5b9aaa5d';


// SignalMessage = version byte || protobuf || 8-byte MAC; a PreKeySignalMessage carries one in field 4.
function signalMessageOf(ciphertext) {
  const outer = Buffer.from(ciphertext.serialize());
  return ciphertext.type() === SignalClient.CiphertextMessageType.PreKey ? Buffer.from(lastBytes(outer.subarray(1), 4)) : outer;
}
function pqOf(ciphertext) {
  const inner = signalMessageOf(ciphertext);
  return Buffer.from(lastBytes(inner.subarray(1, inner.length - 8), 5) ?? []);
}
function pqStateOf(record) {
  if (!record) return Buffer.alloc(0);
  const session = lastBytes(Buffer.from(record.serialize()), 1);
  return Buffer.from(session ? (lastBytes(session, 15) ?? []) : []);
}

function party(name, regId) {
  const identity = SignalClient.IdentityKeyPair.generate();
  return {
    name, address: SignalClient.ProtocolAddress.new(name, 1), identity,
    // Only what the sessions carry is observed here, so every remote key is trusted.
    ...memoryStores(identity, regId, { trust: 'any' }),
  };
}

async function newPair(selfSession = false) {
  const alice = party(ALICE, 1111);
  const bob = selfSession ? alice : party(BOB, 2222);
  const spk = SignalClient.PrivateKey.generate();
  const spkSig = bob.identity.privateKey.sign(spk.getPublicKey().serialize());
  await bob.signedPreKeys.saveSignedPreKey(7, SignalClient.SignedPreKeyRecord.new(7, Date.now(), spk.getPublicKey(), spk, spkSig));
  const kyber = SignalClient.KEMKeyPair.generate();
  const kyberSig = bob.identity.privateKey.sign(kyber.getPublicKey().serialize());
  await bob.kyberPreKeys.saveKyberPreKey(9, SignalClient.KyberPreKeyRecord.new(9, Date.now(), kyber, kyberSig));
  const bundle = SignalClient.PreKeyBundle.new(selfSession ? 1111 : 2222, 1, null, null, 7, spk.getPublicKey(), spkSig,
    bob.identity.publicKey, 9, kyber.getPublicKey(), kyberSig);
  await SignalClient.processPreKeyBundle(bundle, bob.address, alice.address, alice.sessions, alice.identities);
  return { alice, bob };
}

const stateOf = async (p, peer) => pqStateOf(await p.sessions.getSession(peer.address));

// Re-encodes a SessionRecord with SessionStructure field 15 replaced: untouched fields keep their raw bytes.
function encodeVarint(n) {
  const out = [];
  let v = BigInt(n);
  while (v >= 0x80n) { out.push(Number(v & 0x7fn) | 0x80); v >>= 7n; }
  out.push(Number(v));
  return Buffer.from(out);
}
function lenField(tag, bytes) { return Buffer.concat([encodeVarint((tag << 3) | 2), encodeVarint(bytes.length), bytes]); }
function replaceField(buf, tag, bytes) {
  const parts = readFields(buf).filter(f => f.tag !== tag);
  const at = parts.findIndex(f => f.tag > tag);
  const fresh = { tag, raw: lenField(tag, bytes) };
  if (at < 0) parts.push(fresh); else parts.splice(at, 0, fresh);
  return Buffer.concat(parts.map(f => f.raw));
}

async function newConversation() {
  const { alice, bob } = await newPair();
  return { alice, bob, sent: [], initialAlice: await stateOf(alice, bob) };
}
const partyOf = (c, conv) => (c === 'A' ? conv.alice : conv.bob);
const otherOf = (p, conv) => (p === conv.alice ? conv.bob : conv.alice);

async function send(conv, fromName) {
  const from = partyOf(fromName, conv), to = otherOf(from, conv);
  const record = await from.sessions.getSession(to.address);
  const before = pqStateOf(record);
  const ct = await SignalClient.signalEncrypt(Buffer.from(`m${conv.sent.length}`), to.address, from.address, from.sessions, from.identities);
  const after = await stateOf(from, to);
  conv.sent.push({ from: fromName, ct });
  return {
    from: fromName, pq: toB64(pqOf(ct)), before: toB64(before), after: toB64(after),
    signalMessage: toB64(signalMessageOf(ct)), record: toB64(record.serialize()),
  };
}

async function deliver(conv, index) {
  const m = conv.sent[index];
  const from = partyOf(m.from, conv), to = otherOf(from, conv);
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
  return { message: index, before: toB64(before), after: toB64(after), error };
}

// Replaces one party's stored pq_ratchet_state, e.g. with a state C# produced, and keeps the session going.
async function inject(conv, name, pqState) {
  const p = partyOf(name, conv), peer = otherOf(p, conv);
  const record = Buffer.from((await p.sessions.getSession(peer.address)).serialize());
  const session = lastBytes(record, 1);
  const updated = replaceField(record, 1, replaceField(Buffer.from(session), 15, Buffer.from(pqState, 'base64')));
  await p.sessions.saveSession(peer.address, SignalClient.SessionRecord.deserialize(updated));
}

// steps: a string ("ABBA": that party sends, the other receives at once) or a list of
// {send: "A"|"B", quiet?: true} / {deliver: messageIndex} for loss and reordering. Returns every SPQR message and state snapshot.
async function trace(steps) {
  const conv = await newConversation();
  const plan = typeof steps === 'string'
    ? [...steps].flatMap((c, i) => [{ send: c }, { deliver: i }])
    : steps;
  const sent = [], received = [];
  for (const step of plan) {
    if (step.send) {
      const record = await send(conv, step.send);
      // quiet: keep only the SPQR message, to trace thousands of sends without megabytes of snapshots.
      sent.push(step.quiet ? { from: record.from, pq: record.pq, before: '', after: '', signalMessage: '', record: '' } : record);
    }
    else received.push(await deliver(conv, step.deliver));
  }
  return { initial: { alice: toB64(conv.initialAlice) }, sent, received };
}

let nextConversation = 1;
const conversation = (state, id) => state.get(`spqr.conv.${id}`) ?? (() => { throw new Error(`no conversation ${id}`); })();

export default {
  'spqr.trace': async args => trace(args.plan),
  // Timing for benchmarks: `messages` lockstep encrypt+decrypt pairs on an established libsignal session (SPQR
  // running inside the Double Ratchet). libsignal has no SPQR-only entry point, so this is the whole message cost.
  'spqr.bench.pingpong': async args => {
    const { alice, bob } = await newPair();
    const conv = { alice, bob, sent: [] };
    for (let i = 0; i < 4; i++) { await send(conv, i % 2 ? 'B' : 'A'); await deliver(conv, i); }
    const plain = Buffer.from('benchmark message');
    const start = process.hrtime.bigint();
    for (let i = 0; i < args.messages; i++) {
      const [from, to] = i % 2 ? [bob, alice] : [alice, bob];
      const ct = await SignalClient.signalEncrypt(plain, to.address, from.address, from.sessions, from.identities);
      const msg = SignalClient.SignalMessage.deserialize(ct.serialize());
      await SignalClient.signalDecrypt(msg, from.address, to.address, to.sessions, to.identities);
    }
    return Number(process.hrtime.bigint() - start) / args.messages;
  },
  // A session with one's own address (libsignal lifts the forward-jump limit): Alice's initial pq_ratchet_state.
  'spqr.selfInitial': async () => {
    const { alice } = await newPair(true);
    return toB64(await stateOf(alice, alice));
  },
  // Interactive form of the same: a conversation kept in the oracle's state map between calls.
  'spqr.conv.new': async (args, state) => {
    const id = nextConversation++;
    const conv = await newConversation();
    state.set(`spqr.conv.${id}`, conv);
    return { id, alice: toB64(conv.initialAlice) };
  },
  'spqr.conv.send': async (args, state) => send(conversation(state, args.id), args.from),
  'spqr.conv.deliver': async (args, state) => deliver(conversation(state, args.id), args.message),
  'spqr.conv.state': async (args, state) => {
    const conv = conversation(state, args.id);
    const p = partyOf(args.party, conv);
    return toB64(await stateOf(p, otherOf(p, conv)));
  },
  'spqr.conv.inject': async (args, state) => { await inject(conversation(state, args.id), args.party, args.state); return true; },
  'spqr.conv.end': async (args, state) => state.delete(`spqr.conv.${args.id}`),
};
