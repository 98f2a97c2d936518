// Service-layer oracle ops: provisioning messages encrypted exactly as Signal's mock server does it
// (its own encryptProvisionMessage and compiled protos), for SignalSharp's provisioning cipher tests.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { KEMKeyPair, PrivateKey, PublicKey, SenderCertificate } = require('@signalapp/libsignal-client');
import { fromB64, toB64 } from './lib/bytes.mjs';
// The mock's modules are loaded on first use: every area's tests start this oracle, few need them.
const mockCrypto = () => require('@signalapp/mock-server/src/crypto');
const mockProtos = () => require('@signalapp/mock-server/protos/compiled').signalservice;

const uuidBytes = uuid => Buffer.from(uuid.replace(/-/g, ''), 'hex');

export default {
  // args: { publicKey (33-byte b64), aci, pni, number, provisioningCode, profileKey, masterKey, accountEntropyPool }
  // returns: { envelope (ProvisionEnvelope b64), aciPublic, aciPrivate, pniPublic, pniPrivate }
  'service.provisionEnvelope': async args => {
    const Proto = mockProtos();
    const { encryptProvisionMessage } = mockCrypto();
    const aci = PrivateKey.generate();
    const pni = PrivateKey.generate();
    const message = Proto.ProvisionMessage.encode({
      aciIdentityKeyPublic: aci.getPublicKey().serialize(),
      aciIdentityKeyPrivate: aci.serialize(),
      pniIdentityKeyPublic: pni.getPublicKey().serialize(),
      pniIdentityKeyPrivate: pni.serialize(),
      number: args.number,
      aciBinary: uuidBytes(args.aci),
      pniBinary: uuidBytes(args.pni),
      provisioningCode: args.provisioningCode,
      profileKey: fromB64(args.profileKey),
      userAgent: 'OWI',
      readReceipts: true,
      provisioningVersion: Proto.ProvisioningVersion.CURRENT,
      masterKey: fromB64(args.masterKey),
      accountEntropyPool: args.accountEntropyPool,
      mediaRootBackupKey: null,
      ephemeralBackupKey: null,
      authCredentialSalt: null,
    });
    const { body, ephemeralKey } = encryptProvisionMessage(Buffer.from(message), PublicKey.deserialize(fromB64(args.publicKey)));
    const envelope = Proto.ProvisionEnvelope.encode({ publicKey: ephemeralKey, body });
    return {
      envelope: toB64(envelope),
      aciPublic: toB64(aci.getPublicKey().serialize()),
      aciPrivate: toB64(aci.serialize()),
      pniPublic: toB64(pni.getPublicKey().serialize()),
      pniPrivate: toB64(pni.serialize()),
    };
  },

  // args: { certificate (b64 SenderCertificate), trustRoot (b64 33-byte key), now (ms) } → what libsignal sees in it.
  'service.validateSenderCertificate': async ({ certificate, trustRoot, now }) => {
    const cert = SenderCertificate.deserialize(fromB64(certificate));
    return {
      valid: cert.validate(PublicKey.deserialize(fromB64(trustRoot)), now ?? Date.now()),
      senderUuid: cert.senderUuid(),
      senderDevice: cert.senderDeviceId(),
      senderE164: cert.senderE164() ?? null,
      identityKey: toB64(cert.key().serialize()),
    };
  },

  // Test-only stand-in for the key generation of the linking layer: pre-keys signed by the given identity.
  // args: { identityPrivate (b64, 32 bytes), firstId, count } → { signedPreKey, pqLastResortPreKey, preKeys[], pqPreKeys[] }
  'service.deviceKeys': async ({ identityPrivate, firstId = 1, count = 5 }) => {
    const identity = PrivateKey.deserialize(fromB64(identityPrivate));
    let id = firstId;
    const signedEc = () => {
      const key = PrivateKey.generate().getPublicKey().serialize();
      return { keyId: id++, publicKey: toB64(key), signature: toB64(identity.sign(key)) };
    };
    const signedKem = () => {
      const key = KEMKeyPair.generate().getPublicKey().serialize();
      return { keyId: id++, publicKey: toB64(key), signature: toB64(identity.sign(key)) };
    };
    const oneTime = () => ({ keyId: id++, publicKey: toB64(PrivateKey.generate().getPublicKey().serialize()) });
    return {
      signedPreKey: signedEc(),
      pqLastResortPreKey: signedKem(),
      preKeys: Array.from({ length: count }, oneTime),
      pqPreKeys: Array.from({ length: count }, signedKem),
    };
  },
};
