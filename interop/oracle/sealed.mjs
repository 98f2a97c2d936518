// Oracle ops for sealed sender (v1, v2), sender certificates and sender keys, backed by libsignal 0.100.0.
// A "member" is a node-side Signal device with its own in-memory stores (identity, sessions, prekeys,
// sender keys), addressed by a test-chosen id. Bytes travel as base64.
import * as S from '@signalapp/libsignal-client';
import SealedSenderMultiRecipientMessage from '@signalapp/libsignal-client/dist/SealedSenderMultiRecipientMessage.js';
import { fromB64, toB64 } from './lib/bytes.mjs';
import { memoryStores } from './lib/stores.mjs';

const addr = a => S.ProtocolAddress.new(a.name, a.device);

function members(state) {
  if (!state.has('sealed.members')) state.set('sealed.members', new Map());
  return state.get('sealed.members');
}
function member(state, id) {
  const m = members(state).get(id);
  if (!m) throw new Error(`unknown member ${id}`);
  return m;
}

function usmcFields(usmc) {
  const cert = usmc.senderCertificate();
  return {
    serialized: toB64(usmc.serialize()),
    type: usmc.msgType(),
    content: toB64(usmc.contents()),
    contentHint: usmc.contentHint(),
    groupId: usmc.groupId() ? toB64(usmc.groupId()) : null,
    senderCertificate: toB64(cert.serialize()),
    senderUuid: cert.senderUuid(),
    senderDevice: cert.senderDeviceId(),
  };
}

function certFields(cert) {
  const server = cert.serverCertificate();
  return {
    uuid: cert.senderUuid(),
    e164: cert.senderE164(),
    device: cert.senderDeviceId(),
    expiration: cert.expiration(),
    identityKey: toB64(cert.key().serialize()),
    serverKeyId: server.keyId(),
    serverKey: toB64(server.key().serialize()),
    certificate: toB64(cert.certificate()),
    signature: toB64(cert.signature()),
  };
}

const ops = {
  // A node device: identity (optionally given as a 32-byte private key), registration id, fresh stores.
  'sealed.member.new': async ({ id, name, device, identityPrivate, registrationId }, state) => {
    const priv = identityPrivate ? S.PrivateKey.deserialize(fromB64(identityPrivate)) : S.PrivateKey.generate();
    const pair = new S.IdentityKeyPair(priv.getPublicKey(), priv);
    const regId = registrationId ?? (1 + Math.floor(Math.random() * 16000));
    members(state).set(id, { address: S.ProtocolAddress.new(name, device), pair, regId, ...memoryStores(pair, regId) });
    return { identityKey: toB64(pair.publicKey.serialize()), identityPrivate: toB64(priv.serialize()), registrationId: regId };
  },
  'sealed.member.trust': async ({ id, address, identityKey }, state) => {
    await member(state, id).identities.saveIdentity(addr(address), S.PublicKey.deserialize(fromB64(identityKey)));
    return true;
  },
  // A fresh prekey bundle of this member (its keys kept in its stores), as fields.
  'sealed.member.bundle': async ({ id }, state) => {
    const m = member(state, id);
    const preKeyId = 1 + m.preKeys.keys.size, spkId = 1 + m.signedPreKeys.keys.size, kyberId = 1 + m.kyberPreKeys.keys.size;
    const pk = S.PrivateKey.generate(), spk = S.PrivateKey.generate(), kyber = S.KEMKeyPair.generate();
    const spkSig = m.pair.privateKey.sign(spk.getPublicKey().serialize());
    const kyberSig = m.pair.privateKey.sign(kyber.getPublicKey().serialize());
    await m.preKeys.savePreKey(preKeyId, S.PreKeyRecord.new(preKeyId, pk.getPublicKey(), pk));
    await m.signedPreKeys.saveSignedPreKey(spkId, S.SignedPreKeyRecord.new(spkId, Date.now(), spk.getPublicKey(), spk, spkSig));
    await m.kyberPreKeys.saveKyberPreKey(kyberId, S.KyberPreKeyRecord.new(kyberId, Date.now(), kyber, kyberSig));
    return {
      registrationId: m.regId, deviceId: m.address.deviceId(), preKeyId, preKey: toB64(pk.getPublicKey().serialize()),
      signedPreKeyId: spkId, signedPreKey: toB64(spk.getPublicKey().serialize()), signedPreKeySignature: toB64(spkSig),
      identityKey: toB64(m.pair.publicKey.serialize()), kyberPreKeyId: kyberId, kyberPreKey: toB64(kyber.getPublicKey().serialize()),
      kyberPreKeySignature: toB64(kyberSig),
    };
  },
  'sealed.member.processBundle': async ({ id, remote, bundle: x }, state) => {
    const m = member(state, id);
    const bundle = S.PreKeyBundle.new(x.registrationId, x.deviceId, x.preKeyId ?? null, x.preKey ? S.PublicKey.deserialize(fromB64(x.preKey)) : null,
      x.signedPreKeyId, S.PublicKey.deserialize(fromB64(x.signedPreKey)), fromB64(x.signedPreKeySignature), S.PublicKey.deserialize(fromB64(x.identityKey)),
      x.kyberPreKeyId, S.KEMPublicKey.deserialize(fromB64(x.kyberPreKey)), fromB64(x.kyberPreKeySignature));
    await S.processPreKeyBundle(bundle, addr(remote), m.address, m.sessions, m.identities);
    return true;
  },
  'sealed.member.encrypt': async ({ id, remote, plaintext }, state) => {
    const m = member(state, id);
    const msg = await S.signalEncrypt(fromB64(plaintext), addr(remote), m.address, m.sessions, m.identities);
    return { type: msg.type(), body: toB64(msg.serialize()) };
  },
  'sealed.member.decrypt': async ({ id, remote, type, body }, state) => {
    const m = member(state, id);
    if (type === 3) {
      return toB64(await S.signalDecryptPreKey(S.PreKeySignalMessage.deserialize(fromB64(body)), addr(remote), m.address, m.sessions,
        m.identities, m.preKeys, m.signedPreKeys, m.kyberPreKeys));
    }
    return toB64(await S.signalDecrypt(S.SignalMessage.deserialize(fromB64(body)), addr(remote), m.address, m.sessions, m.identities));
  },

  // Sender keys, with the member's own address as the sender.
  'sealed.sk.create': async ({ id, distributionId }, state) => {
    const m = member(state, id);
    return toB64((await S.SenderKeyDistributionMessage.create(m.address, distributionId, m.senderKeys)).serialize());
  },
  'sealed.sk.process': async ({ id, sender, skdm }, state) => {
    const m = member(state, id);
    await S.processSenderKeyDistributionMessage(addr(sender), S.SenderKeyDistributionMessage.deserialize(fromB64(skdm)), m.senderKeys);
    return true;
  },
  'sealed.sk.encrypt': async ({ id, distributionId, plaintext }, state) => {
    const m = member(state, id);
    return toB64((await S.groupEncrypt(m.address, distributionId, m.senderKeys, fromB64(plaintext))).serialize());
  },
  'sealed.sk.decrypt': async ({ id, sender, message }, state) => {
    const m = member(state, id);
    return toB64(await S.groupDecrypt(addr(sender), m.senderKeys, fromB64(message)));
  },
  'sealed.sk.record': async ({ id, sender, distributionId }, state) => {
    const r = await member(state, id).senderKeys.getSenderKey(addr(sender), distributionId);
    return r ? toB64(r.serialize()) : null;
  },
  'sealed.sk.setRecord': async ({ id, sender, distributionId, record }, state) => {
    await member(state, id).senderKeys.saveSenderKey(addr(sender), distributionId, S.SenderKeyRecord.deserialize(fromB64(record)));
    return true;
  },
  'sealed.sk.parseSkdm': async ({ skdm }) => {
    const x = S.SenderKeyDistributionMessage.deserialize(fromB64(skdm));
    return { distributionId: x.distributionId(), chainId: x.chainId(), iteration: x.iteration(), chainKey: toB64(x.chainKey()) };
  },
  'sealed.sk.parseMessage': async ({ message, signingKey }) => {
    const x = S.SenderKeyMessage.deserialize(fromB64(message));
    return {
      distributionId: x.distributionId(), chainId: x.chainId(), iteration: x.iteration(), ciphertext: toB64(x.ciphertext()),
      signatureValid: signingKey ? x.verifySignature(S.PublicKey.deserialize(fromB64(signingKey))) : null,
    };
  },
  'sealed.sk.newMessage': async ({ distributionId, chainId, iteration, ciphertext, signingPrivate }) =>
    toB64(S.SenderKeyMessage._new(3, distributionId, chainId, iteration, fromB64(ciphertext), S.PrivateKey.deserialize(fromB64(signingPrivate))).serialize()),
  'sealed.sk.newSkdm': async ({ distributionId, chainId, iteration, chainKey, signingKey }) =>
    toB64(S.SenderKeyDistributionMessage._new(3, distributionId, chainId, iteration, fromB64(chainKey), S.PublicKey.deserialize(fromB64(signingKey))).serialize()),

  // Certificates.
  'sealed.cert.server': async ({ keyId, serverKey, trustRootPrivate }) =>
    toB64(S.ServerCertificate.new(keyId, S.PublicKey.deserialize(fromB64(serverKey)), S.PrivateKey.deserialize(fromB64(trustRootPrivate))).serialize()),
  'sealed.cert.sender': async ({ uuid, e164, device, identityKey, expiration, serverCertificate, serverPrivate }) =>
    toB64(S.SenderCertificate.new(uuid, e164 ?? null, device, S.PublicKey.deserialize(fromB64(identityKey)), expiration,
      S.ServerCertificate.deserialize(fromB64(serverCertificate)), S.PrivateKey.deserialize(fromB64(serverPrivate))).serialize()),
  'sealed.cert.parse': async ({ certificate }) => certFields(S.SenderCertificate.deserialize(fromB64(certificate))),
  'sealed.cert.parseServer': async ({ certificate }) => {
    const c = S.ServerCertificate.deserialize(fromB64(certificate));
    return { keyId: c.keyId(), key: toB64(c.key().serialize()), certificate: toB64(c.certificateData()), signature: toB64(c.signature()) };
  },
  'sealed.cert.validate': async ({ certificate, trustRoots, time }) =>
    S.SenderCertificate.deserialize(fromB64(certificate)).validateWithTrustRoots(trustRoots.map(k => S.PublicKey.deserialize(fromB64(k))), time),

  // Unidentified sender message content.
  'sealed.usmc.parse': async ({ usmc }) => usmcFields(S.UnidentifiedSenderMessageContent.deserialize(fromB64(usmc))),
  // A group message by member `id`, wrapped in a USMC (what a group send seals).
  'sealed.usmc.group': async ({ id, distributionId, plaintext, senderCertificate, contentHint, groupId }, state) => {
    const m = member(state, id);
    const msg = await S.groupEncrypt(m.address, distributionId, m.senderKeys, fromB64(plaintext));
    return toB64(S.UnidentifiedSenderMessageContent.new(msg, S.SenderCertificate.deserialize(fromB64(senderCertificate)), contentHint ?? 0,
      groupId ? fromB64(groupId) : null).serialize());
  },
  // A PlaintextContent (decryption error for some original message), wrapped in a USMC.
  'sealed.usmc.plaintext': async ({ original, originalType, timestamp, originalDevice, senderCertificate, contentHint, groupId }) => {
    const dem = S.DecryptionErrorMessage.forOriginal(fromB64(original), originalType, timestamp, originalDevice);
    const pc = S.PlaintextContent.from(dem);
    return toB64(S.UnidentifiedSenderMessageContent.new(pc.asCiphertextMessage(), S.SenderCertificate.deserialize(fromB64(senderCertificate)),
      contentHint ?? 0, groupId ? fromB64(groupId) : null).serialize());
  },
  // A 1:1 message from member `id` to `remote` over their session, wrapped in a USMC.
  'sealed.usmc.session': async ({ id, remote, plaintext, senderCertificate, contentHint, groupId }, state) => {
    const m = member(state, id);
    const msg = await S.signalEncrypt(fromB64(plaintext), addr(remote), m.address, m.sessions, m.identities);
    return toB64(S.UnidentifiedSenderMessageContent.new(msg, S.SenderCertificate.deserialize(fromB64(senderCertificate)), contentHint ?? 0,
      groupId ? fromB64(groupId) : null).serialize());
  },
  'sealed.plaintext.parse': async ({ content }) => {
    const pc = S.PlaintextContent.deserialize(fromB64(content));
    const dem = S.DecryptionErrorMessage.extractFromSerializedBody(pc.body());
    return { body: toB64(pc.body()), timestamp: dem.timestamp(), deviceId: dem.deviceId(), ratchetKey: dem.ratchetKey() ? toB64(dem.ratchetKey().serialize()) : null };
  },

  // Sealed sender v1 and v2.
  'sealed.v1.encrypt': async ({ id, recipient, usmc }, state) => {
    const m = member(state, id);
    return toB64(await S.sealedSenderEncrypt(S.UnidentifiedSenderMessageContent.deserialize(fromB64(usmc)), addr(recipient), m.identities));
  },
  'sealed.v1.encryptMessage': async ({ id, recipient, plaintext, senderCertificate }, state) => {
    const m = member(state, id);
    return toB64(await S.sealedSenderEncryptMessage(fromB64(plaintext), addr(recipient), S.SenderCertificate.deserialize(fromB64(senderCertificate)),
      m.sessions, m.identities));
  },
  'sealed.decryptToUsmc': async ({ id, message }, state) =>
    usmcFields(await S.sealedSenderDecryptToUsmc(fromB64(message), member(state, id).identities)),
  'sealed.decryptMessage': async ({ id, message, trustRoot, time }, state) => {
    const m = member(state, id);
    const r = await S.sealedSenderDecryptMessage(fromB64(message), S.PublicKey.deserialize(fromB64(trustRoot)), time, null, m.address.name(),
      m.address.deviceId(), m.sessions, m.identities, m.preKeys, m.signedPreKeys, m.kyberPreKeys);
    return { plaintext: toB64(r.message()), uuid: r.senderUuid(), e164: r.senderE164(), device: r.deviceId() };
  },
  'sealed.v2.encrypt': async ({ id, usmc, recipients, excluded }, state) => {
    const m = member(state, id);
    return toB64(await S.sealedSenderMultiRecipientEncrypt({
      content: S.UnidentifiedSenderMessageContent.deserialize(fromB64(usmc)), recipients: recipients.map(addr),
      excludedRecipients: (excluded ?? []).map(s => S.ServiceId.parseFromServiceIdString(s)),
      identityStore: m.identities, sessionStore: m.sessions,
    }));
  },
  // What the server does with a SentMessage: split it per recipient.
  'sealed.v2.split': async ({ sent }) => {
    const msg = new SealedSenderMultiRecipientMessage(fromB64(sent));
    const recipients = {};
    for (const [sid, r] of Object.entries(msg.recipientsByServiceIdString())) {
      recipients[sid] = { deviceIds: r.deviceIds, registrationIds: r.registrationIds, message: toB64(msg.messageForRecipient(r)) };
    }
    return { recipients, excluded: [...msg.excludedRecipientServiceIdStrings()] };
  },
  'sealed.v2.single': async ({ sent }) => toB64(S.sealedSenderMultiRecipientMessageForSingleRecipient(fromB64(sent))),

  // Several calls in one round trip (the 100-member group makes thousands).
  'sealed.batch': async ({ calls }, state) => {
    const results = [];
    for (const c of calls) {
      try {
        results.push({ ok: true, result: await ops[c.op](c.args ?? {}, state) });
      } catch (e) {
        results.push({ ok: false, error: String(e?.message ?? e) });
      }
    }
    return results;
  },

  // Timing of the same operations in node, for the benchmark: returns mean microseconds per operation.
  'sealed.bench.v1': async ({ id, recipientId, usmc, iterations }, state) => {
    const sender = member(state, id), recipient = member(state, recipientId);
    const content = S.UnidentifiedSenderMessageContent.deserialize(fromB64(usmc));
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) {
      const sealed = await S.sealedSenderEncrypt(content, recipient.address, sender.identities);
      await S.sealedSenderDecryptToUsmc(sealed, recipient.identities);
    }
    return Number(process.hrtime.bigint() - start) / 1000 / iterations;
  },
  'sealed.bench.agree': async ({ iterations }) => {
    const a = S.PrivateKey.generate(), bpub = S.PrivateKey.generate().getPublicKey();
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) a.agree(bpub);
    return Number(process.hrtime.bigint() - start) / 1000 / iterations;
  },
  'sealed.bench.open': async ({ id, message, iterations }, state) => {
    const m = member(state, id);
    const bytes = fromB64(message);
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) await S.sealedSenderDecryptToUsmc(bytes, m.identities);
    return Number(process.hrtime.bigint() - start) / 1000 / iterations;
  },
  'sealed.bench.v2': async ({ id, distributionId, plaintext, senderCertificate, recipients, iterations }, state) => {
    const m = member(state, id);
    const cert = S.SenderCertificate.deserialize(fromB64(senderCertificate));
    const addrs = recipients.map(addr);
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) {
      const msg = await S.groupEncrypt(m.address, distributionId, m.senderKeys, fromB64(plaintext));
      const usmc = S.UnidentifiedSenderMessageContent.new(msg, cert, 1, null);
      await S.sealedSenderMultiRecipientEncrypt({ content: usmc, recipients: addrs, identityStore: m.identities, sessionStore: m.sessions });
    }
    return Number(process.hrtime.bigint() - start) / 1000 / iterations;
  },
};

export default ops;
