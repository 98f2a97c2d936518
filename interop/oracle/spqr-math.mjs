// Oracle ops for SPQR's maths (erasure code, split ML-KEM-768): drive two libsignal sessions through a send plan
// and report, per message, the SPQR wire bytes and both parties' PqRatchetState (SessionRecord field 1 -> 15).
// node exposes no SPQR API, so the states inside session records are the only window onto libcrux/spqr bytes.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const SignalClient = require('@signalapp/libsignal-client');
import { toB64 } from './lib/bytes.mjs';
import { memoryStores } from './lib/stores.mjs';
import { firstBytes } from './lib/proto.mjs';



function pqStateOf(record) {
  if (!record) return Buffer.alloc(0);
  const session = firstBytes(Buffer.from(record.serialize()), 1);
  if (!session) return null;
  return firstBytes(session, 15) ?? Buffer.alloc(0);
}

// SignalMessage bytes: version byte || protobuf || 8-byte MAC; pq_ratchet is field 5.
const pqFieldOfSignalMessage = bytes => firstBytes(Buffer.from(bytes).subarray(1, bytes.length - 8), 5) ?? Buffer.alloc(0);

function party(name, registrationId) {
  const identity = SignalClient.IdentityKeyPair.generate();
  return {
    address: SignalClient.ProtocolAddress.new(name, 1),
    identity,
    // Only what the sessions carry is observed here, so every remote key is trusted.
    ...memoryStores(identity, registrationId, { trust: 'any' }),
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
      pq: toB64(pqFieldOfSignalMessage(inner)),
      alice: toB64(pqStateOf(await alice.sessions.getSession(bob.address))),
      bob: toB64(pqStateOf(await bob.sessions.getSession(alice.address))),
    });
  }
  return steps;
}

export default {
  // args: { plan: "ABAB..." }: A = Alice sends, B = Bob sends, each message delivered at once; a lowercase letter
  // sends a message that is lost (never decrypted).
  'spqrmath.trace': async args => trace(String(args.plan ?? '')),
};
