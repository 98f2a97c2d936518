// Oracle ops for SignalSharp.ZkGroup: libsignal's deterministic zkgroup client APIs (group params, ciphertexts,
// blobs) so the C# port can be checked byte for byte.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const S = require('@signalapp/libsignal-client');
const Z = require('@signalapp/libsignal-client/zkgroup');

const b = s => new Uint8Array(Buffer.from(s, 'base64'));
const e = u => Buffer.from(u).toString('base64');

const cipher = args => new Z.ClientZkGroupCipher(new Z.GroupSecretParams(b(args.secretParams)));

export default {
  'zkgroup.deriveFromMasterKey': async args => {
    const secret = Z.GroupSecretParams.deriveFromMasterKey(new Z.GroupMasterKey(b(args.masterKey)));
    const pub = secret.getPublicParams();
    return { secretParams: e(secret.serialize()), publicParams: e(pub.serialize()), groupId: e(pub.getGroupIdentifier().serialize()) };
  },
  'zkgroup.generateWithRandom': async args => {
    const secret = Z.GroupSecretParams.generateWithRandom(b(args.random));
    return { secretParams: e(secret.serialize()), masterKey: e(secret.getMasterKey().serialize()) };
  },
  'zkgroup.encryptServiceId': async args =>
    e(cipher(args).encryptServiceId(S.ServiceId.parseFromServiceIdBinary(b(args.serviceId))).serialize()),
  'zkgroup.decryptServiceId': async args =>
    e(cipher(args).decryptServiceId(new Z.UuidCiphertext(b(args.ciphertext))).getServiceIdBinary()),
  'zkgroup.encryptProfileKey': async args =>
    e(cipher(args).encryptProfileKey(new Z.ProfileKey(b(args.profileKey)), S.Aci.fromUuidBytes(b(args.aci))).serialize()),
  'zkgroup.decryptProfileKey': async args =>
    e(cipher(args).decryptProfileKey(new Z.ProfileKeyCiphertext(b(args.ciphertext)), S.Aci.fromUuidBytes(b(args.aci))).serialize()),
  'zkgroup.encryptBlobWithRandom': async args =>
    e(cipher(args).encryptBlobWithRandom(b(args.random), b(args.plaintext))),
  'zkgroup.decryptBlob': async args => e(cipher(args).decryptBlob(b(args.ciphertext))),
};
