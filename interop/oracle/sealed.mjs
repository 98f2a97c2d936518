// Oracle ops for sealed sender (v1, v2), sender certificates and sender keys, backed by libsignal 0.100.0.
// A "member" is a node-side Signal device with its own in-memory stores (identity, sessions, prekeys,
// sender keys), addressed by a test-chosen id. Bytes travel as base64.
import * as S from '@signalapp/libsignal-client';
import SealedSenderMultiRecipientMessage from '@signalapp/libsignal-client/dist/SealedSenderMultiRecipientMessage.js';

const b = s => Buffer.from(s, 'base64');
const out = u8 => Buffer.from(u8).toString('base64');
const addrKey = a => `${a.name()}.${a.deviceId()}`;
const addr = a => S.ProtocolAddress.new(a.name, a.device);

class Identities extends S.IdentityKeyStore {
  constructor(pair, regId) { super(); this.pair = pair; this.regId = regId; this.known = new Map(); }
  async getIdentityKey() { return this.pair.privateKey; }
  async getLocalRegistrationId() { return this.regId; }
  async saveIdentity(name, key) {
    const old = this.known.get(addrKey(name));
    this.known.set(addrKey(name), key);
    return old && !old.equals(key) ? S.IdentityChange.ReplacedExisting : S.IdentityChange.NewOrUnchanged;
  }
  async isTrustedIdentity(name, key) {
    const old = this.known.get(addrKey(name));
    return !old || old.equals(key);
  }
  async getIdentity(name) { return this.known.get(addrKey(name)) ?? null; }
}

class Sessions extends S.SessionStore {
  constructor() { super(); this.map = new Map(); }
  async saveSession(name, record) { this.map.set(addrKey(name), record.serialize()); }
  async getSession(name) {
    const bytes = this.map.get(addrKey(name));
    return bytes ? S.SessionRecord.deserialize(bytes) : null;
  }
  async getExistingSessions(addresses) {
    return addresses.map(a => {
      const bytes = this.map.get(addrKey(a));
      if (!bytes) throw new Error(`no session for ${addrKey(a)}`);
      return S.SessionRecord.deserialize(bytes);
    });
  }
}

class KeyMap {
  constructor() { this.map = new Map(); }
  get(id) { const v = this.map.get(id); if (!v) throw new Error(`no key ${id}`); return v; }
}
class PreKeys extends S.PreKeyStore {
  constructor() { super(); this.keys = new KeyMap(); }
  async savePreKey(id, r) { this.keys.map.set(id, r); }
  async getPreKey(id) { return this.keys.get(id); }
  async removePreKey(id) { this.keys.map.delete(id); }
}
class SignedPreKeys extends S.SignedPreKeyStore {
  constructor() { super(); this.keys = new KeyMap(); }
  async saveSignedPreKey(id, r) { this.keys.map.set(id, r); }
  async getSignedPreKey(id) { return this.keys.get(id); }
}
class KyberPreKeys extends S.KyberPreKeyStore {
  constructor() { super(); this.keys = new KeyMap(); }
  async saveKyberPreKey(id, r) { this.keys.map.set(id, r); }
  async getKyberPreKey(id) { return this.keys.get(id); }
  async markKyberPreKeyUsed() {}
}
class SenderKeys extends S.SenderKeyStore {
  constructor() { super(); this.map = new Map(); }
  async saveSenderKey(sender, distributionId, record) { this.map.set(`${addrKey(sender)}::${distributionId}`, record.serialize()); }
  async getSenderKey(sender, distributionId) {
    const bytes = this.map.get(`${addrKey(sender)}::${distributionId}`);
    return bytes ? S.SenderKeyRecord.deserialize(bytes) : null;
  }
}

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
    serialized: out(usmc.serialize()),
    type: usmc.msgType(),
    content: out(usmc.contents()),
    contentHint: usmc.contentHint(),
    groupId: usmc.groupId() ? out(usmc.groupId()) : null,
    senderCertificate: out(cert.serialize()),
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
    identityKey: out(cert.key().serialize()),
    serverKeyId: server.keyId(),
    serverKey: out(server.key().serialize()),
    certificate: out(cert.certificate()),
    signature: out(cert.signature()),
  };
}

const ops = {
  // A node device: identity (optionally given as a 32-byte private key), registration id, fresh stores.
  'sealed.member.new': async ({ id, name, device, identityPrivate, registrationId }, state) => {
    const priv = identityPrivate ? S.PrivateKey.deserialize(b(identityPrivate)) : S.PrivateKey.generate();
    const pair = new S.IdentityKeyPair(priv.getPublicKey(), priv);
    const regId = registrationId ?? (1 + Math.floor(Math.random() * 16000));
    members(state).set(id, {
      address: S.ProtocolAddress.new(name, device), pair, regId,
      identities: new Identities(pair, regId), sessions: new Sessions(), preKeys: new PreKeys(),
      signedPreKeys: new SignedPreKeys(), kyberPreKeys: new KyberPreKeys(), senderKeys: new SenderKeys(),
    });
    return { identityKey: out(pair.publicKey.serialize()), identityPrivate: out(priv.serialize()), registrationId: regId };
  },
  'sealed.member.trust': async ({ id, address, identityKey }, state) => {
    await member(state, id).identities.saveIdentity(addr(address), S.PublicKey.deserialize(b(identityKey)));
    return true;
  },
  // A fresh prekey bundle of this member (its keys kept in its stores), as fields.
  'sealed.member.bundle': async ({ id }, state) => {
    const m = member(state, id);
    const preKeyId = 1 + m.preKeys.keys.map.size, spkId = 1 + m.signedPreKeys.keys.map.size, kyberId = 1 + m.kyberPreKeys.keys.map.size;
    const pk = S.PrivateKey.generate(), spk = S.PrivateKey.generate(), kyber = S.KEMKeyPair.generate();
    const spkSig = m.pair.privateKey.sign(spk.getPublicKey().serialize());
    const kyberSig = m.pair.privateKey.sign(kyber.getPublicKey().serialize());
    await m.preKeys.savePreKey(preKeyId, S.PreKeyRecord.new(preKeyId, pk.getPublicKey(), pk));
    await m.signedPreKeys.saveSignedPreKey(spkId, S.SignedPreKeyRecord.new(spkId, Date.now(), spk.getPublicKey(), spk, spkSig));
    await m.kyberPreKeys.saveKyberPreKey(kyberId, S.KyberPreKeyRecord.new(kyberId, Date.now(), kyber, kyberSig));
    return {
      registrationId: m.regId, deviceId: m.address.deviceId(), preKeyId, preKey: out(pk.getPublicKey().serialize()),
      signedPreKeyId: spkId, signedPreKey: out(spk.getPublicKey().serialize()), signedPreKeySignature: out(spkSig),
      identityKey: out(m.pair.publicKey.serialize()), kyberPreKeyId: kyberId, kyberPreKey: out(kyber.getPublicKey().serialize()),
      kyberPreKeySignature: out(kyberSig),
    };
  },
  'sealed.member.processBundle': async ({ id, remote, bundle: x }, state) => {
    const m = member(state, id);
    const bundle = S.PreKeyBundle.new(x.registrationId, x.deviceId, x.preKeyId ?? null, x.preKey ? S.PublicKey.deserialize(b(x.preKey)) : null,
      x.signedPreKeyId, S.PublicKey.deserialize(b(x.signedPreKey)), b(x.signedPreKeySignature), S.PublicKey.deserialize(b(x.identityKey)),
      x.kyberPreKeyId, S.KEMPublicKey.deserialize(b(x.kyberPreKey)), b(x.kyberPreKeySignature));
    await S.processPreKeyBundle(bundle, addr(remote), m.address, m.sessions, m.identities);
    return true;
  },
  'sealed.member.encrypt': async ({ id, remote, plaintext }, state) => {
    const m = member(state, id);
    const msg = await S.signalEncrypt(b(plaintext), addr(remote), m.address, m.sessions, m.identities);
    return { type: msg.type(), body: out(msg.serialize()) };
  },
  'sealed.member.decrypt': async ({ id, remote, type, body }, state) => {
    const m = member(state, id);
    if (type === 3) {
      return out(await S.signalDecryptPreKey(S.PreKeySignalMessage.deserialize(b(body)), addr(remote), m.address, m.sessions,
        m.identities, m.preKeys, m.signedPreKeys, m.kyberPreKeys));
    }
    return out(await S.signalDecrypt(S.SignalMessage.deserialize(b(body)), addr(remote), m.address, m.sessions, m.identities));
  },

  // Sender keys, with the member's own address as the sender.
  'sealed.sk.create': async ({ id, distributionId }, state) => {
    const m = member(state, id);
    return out((await S.SenderKeyDistributionMessage.create(m.address, distributionId, m.senderKeys)).serialize());
  },
  'sealed.sk.process': async ({ id, sender, skdm }, state) => {
    const m = member(state, id);
    await S.processSenderKeyDistributionMessage(addr(sender), S.SenderKeyDistributionMessage.deserialize(b(skdm)), m.senderKeys);
    return true;
  },
  'sealed.sk.encrypt': async ({ id, distributionId, plaintext }, state) => {
    const m = member(state, id);
    return out((await S.groupEncrypt(m.address, distributionId, m.senderKeys, b(plaintext))).serialize());
  },
  'sealed.sk.decrypt': async ({ id, sender, message }, state) => {
    const m = member(state, id);
    return out(await S.groupDecrypt(addr(sender), m.senderKeys, b(message)));
  },
  'sealed.sk.record': async ({ id, sender, distributionId }, state) => {
    const r = await member(state, id).senderKeys.getSenderKey(addr(sender), distributionId);
    return r ? out(r.serialize()) : null;
  },
  'sealed.sk.setRecord': async ({ id, sender, distributionId, record }, state) => {
    await member(state, id).senderKeys.saveSenderKey(addr(sender), distributionId, S.SenderKeyRecord.deserialize(b(record)));
    return true;
  },
  'sealed.sk.parseSkdm': async ({ skdm }) => {
    const x = S.SenderKeyDistributionMessage.deserialize(b(skdm));
    return { distributionId: x.distributionId(), chainId: x.chainId(), iteration: x.iteration(), chainKey: out(x.chainKey()) };
  },
  'sealed.sk.parseMessage': async ({ message, signingKey }) => {
    const x = S.SenderKeyMessage.deserialize(b(message));
    return {
      distributionId: x.distributionId(), chainId: x.chainId(), iteration: x.iteration(), ciphertext: out(x.ciphertext()),
      signatureValid: signingKey ? x.verifySignature(S.PublicKey.deserialize(b(signingKey))) : null,
    };
  },
  'sealed.sk.newMessage': async ({ distributionId, chainId, iteration, ciphertext, signingPrivate }) =>
    out(S.SenderKeyMessage._new(3, distributionId, chainId, iteration, b(ciphertext), S.PrivateKey.deserialize(b(signingPrivate))).serialize()),
  'sealed.sk.newSkdm': async ({ distributionId, chainId, iteration, chainKey, signingKey }) =>
    out(S.SenderKeyDistributionMessage._new(3, distributionId, chainId, iteration, b(chainKey), S.PublicKey.deserialize(b(signingKey))).serialize()),

  // Certificates.
  'sealed.cert.server': async ({ keyId, serverKey, trustRootPrivate }) =>
    out(S.ServerCertificate.new(keyId, S.PublicKey.deserialize(b(serverKey)), S.PrivateKey.deserialize(b(trustRootPrivate))).serialize()),
  'sealed.cert.sender': async ({ uuid, e164, device, identityKey, expiration, serverCertificate, serverPrivate }) =>
    out(S.SenderCertificate.new(uuid, e164 ?? null, device, S.PublicKey.deserialize(b(identityKey)), expiration,
      S.ServerCertificate.deserialize(b(serverCertificate)), S.PrivateKey.deserialize(b(serverPrivate))).serialize()),
  'sealed.cert.parse': async ({ certificate }) => certFields(S.SenderCertificate.deserialize(b(certificate))),
  'sealed.cert.parseServer': async ({ certificate }) => {
    const c = S.ServerCertificate.deserialize(b(certificate));
    return { keyId: c.keyId(), key: out(c.key().serialize()), certificate: out(c.certificateData()), signature: out(c.signature()) };
  },
  'sealed.cert.validate': async ({ certificate, trustRoots, time }) =>
    S.SenderCertificate.deserialize(b(certificate)).validateWithTrustRoots(trustRoots.map(k => S.PublicKey.deserialize(b(k))), time),

  // Unidentified sender message content.
  'sealed.usmc.parse': async ({ usmc }) => usmcFields(S.UnidentifiedSenderMessageContent.deserialize(b(usmc))),
  // A group message by member `id`, wrapped in a USMC (what a group send seals).
  'sealed.usmc.group': async ({ id, distributionId, plaintext, senderCertificate, contentHint, groupId }, state) => {
    const m = member(state, id);
    const msg = await S.groupEncrypt(m.address, distributionId, m.senderKeys, b(plaintext));
    return out(S.UnidentifiedSenderMessageContent.new(msg, S.SenderCertificate.deserialize(b(senderCertificate)), contentHint ?? 0,
      groupId ? b(groupId) : null).serialize());
  },
  // A PlaintextContent (decryption error for some original message), wrapped in a USMC.
  'sealed.usmc.plaintext': async ({ original, originalType, timestamp, originalDevice, senderCertificate, contentHint, groupId }) => {
    const dem = S.DecryptionErrorMessage.forOriginal(b(original), originalType, timestamp, originalDevice);
    const pc = S.PlaintextContent.from(dem);
    return out(S.UnidentifiedSenderMessageContent.new(pc.asCiphertextMessage(), S.SenderCertificate.deserialize(b(senderCertificate)),
      contentHint ?? 0, groupId ? b(groupId) : null).serialize());
  },
  // A 1:1 message from member `id` to `remote` over their session, wrapped in a USMC.
  'sealed.usmc.session': async ({ id, remote, plaintext, senderCertificate, contentHint, groupId }, state) => {
    const m = member(state, id);
    const msg = await S.signalEncrypt(b(plaintext), addr(remote), m.address, m.sessions, m.identities);
    return out(S.UnidentifiedSenderMessageContent.new(msg, S.SenderCertificate.deserialize(b(senderCertificate)), contentHint ?? 0,
      groupId ? b(groupId) : null).serialize());
  },
  'sealed.plaintext.parse': async ({ content }) => {
    const pc = S.PlaintextContent.deserialize(b(content));
    const dem = S.DecryptionErrorMessage.extractFromSerializedBody(pc.body());
    return { body: out(pc.body()), timestamp: dem.timestamp(), deviceId: dem.deviceId(), ratchetKey: dem.ratchetKey() ? out(dem.ratchetKey().serialize()) : null };
  },

  // Sealed sender v1 and v2.
  'sealed.v1.encrypt': async ({ id, recipient, usmc }, state) => {
    const m = member(state, id);
    return out(await S.sealedSenderEncrypt(S.UnidentifiedSenderMessageContent.deserialize(b(usmc)), addr(recipient), m.identities));
  },
  'sealed.v1.encryptMessage': async ({ id, recipient, plaintext, senderCertificate }, state) => {
    const m = member(state, id);
    return out(await S.sealedSenderEncryptMessage(b(plaintext), addr(recipient), S.SenderCertificate.deserialize(b(senderCertificate)),
      m.sessions, m.identities));
  },
  'sealed.decryptToUsmc': async ({ id, message }, state) =>
    usmcFields(await S.sealedSenderDecryptToUsmc(b(message), member(state, id).identities)),
  'sealed.decryptMessage': async ({ id, message, trustRoot, time }, state) => {
    const m = member(state, id);
    const r = await S.sealedSenderDecryptMessage(b(message), S.PublicKey.deserialize(b(trustRoot)), time, null, m.address.name(),
      m.address.deviceId(), m.sessions, m.identities, m.preKeys, m.signedPreKeys, m.kyberPreKeys);
    return { plaintext: out(r.message()), uuid: r.senderUuid(), e164: r.senderE164(), device: r.deviceId() };
  },
  'sealed.v2.encrypt': async ({ id, usmc, recipients, excluded }, state) => {
    const m = member(state, id);
    return out(await S.sealedSenderMultiRecipientEncrypt({
      content: S.UnidentifiedSenderMessageContent.deserialize(b(usmc)), recipients: recipients.map(addr),
      excludedRecipients: (excluded ?? []).map(s => S.ServiceId.parseFromServiceIdString(s)),
      identityStore: m.identities, sessionStore: m.sessions,
    }));
  },
  // What the server does with a SentMessage: split it per recipient.
  'sealed.v2.split': async ({ sent }) => {
    const msg = new SealedSenderMultiRecipientMessage(b(sent));
    const recipients = {};
    for (const [sid, r] of Object.entries(msg.recipientsByServiceIdString())) {
      recipients[sid] = { deviceIds: r.deviceIds, registrationIds: r.registrationIds, message: out(msg.messageForRecipient(r)) };
    }
    return { recipients, excluded: [...msg.excludedRecipientServiceIdStrings()] };
  },
  'sealed.v2.single': async ({ sent }) => out(S.sealedSenderMultiRecipientMessageForSingleRecipient(b(sent))),

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
    const content = S.UnidentifiedSenderMessageContent.deserialize(b(usmc));
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
    const bytes = b(message);
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) await S.sealedSenderDecryptToUsmc(bytes, m.identities);
    return Number(process.hrtime.bigint() - start) / 1000 / iterations;
  },
  'sealed.bench.v2': async ({ id, distributionId, plaintext, senderCertificate, recipients, iterations }, state) => {
    const m = member(state, id);
    const cert = S.SenderCertificate.deserialize(b(senderCertificate));
    const addrs = recipients.map(addr);
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) {
      const msg = await S.groupEncrypt(m.address, distributionId, m.senderKeys, b(plaintext));
      const usmc = S.UnidentifiedSenderMessageContent.new(msg, cert, 1, null);
      await S.sealedSenderMultiRecipientEncrypt({ content: usmc, recipients: addrs, identityStore: m.identities, sessionStore: m.sessions });
    }
    return Number(process.hrtime.bigint() - start) / 1000 / iterations;
  },
};

export default ops;
