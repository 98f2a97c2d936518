// Oracle ops for the encrypted device name (the DeviceName protobuf Signal's clients send when linking), built from
// the published construction with Signal's own pieces: libsignal's X25519 agreement, the mock's compiled
// signalservice.DeviceName, and node's HMAC-SHA256 and AES-256-CTR.
//   deviceName.encrypt {name, identityPublic, ephemeralPrivate} → base64 DeviceName
//   deviceName.decrypt {encrypted, identityPrivate} → name (throws when the synthetic IV does not match)
import { createRequire } from 'node:module';
import nodeCrypto from 'node:crypto';
import { fromB64, toB64 } from './lib/bytes.mjs';
const require = createRequire(import.meta.url);
const S = require('@signalapp/libsignal-client');
const Proto = require('@signalapp/mock-server/protos/compiled');

const hmac = (key, data) => nodeCrypto.createHmac('sha256', key).update(data).digest();
const syntheticIv = (secret, plaintext) => hmac(hmac(secret, Buffer.from('auth')), plaintext).subarray(0, 16);
const cipherKey = (secret, iv) => hmac(hmac(secret, Buffer.from('cipher')), iv);
const ctr = (key, data) => {
  const cipher = nodeCrypto.createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  return Buffer.concat([cipher.update(data), cipher.final()]);
};

export default {
  'deviceName.encrypt': async ({ name, identityPublic, ephemeralPrivate }) => {
    const ephemeral = S.PrivateKey.deserialize(fromB64(ephemeralPrivate));
    const secret = Buffer.from(ephemeral.agree(S.PublicKey.deserialize(fromB64(identityPublic))));
    const plaintext = Buffer.from(name, 'utf8');
    const iv = syntheticIv(secret, plaintext);
    const encoded = Proto.signalservice.DeviceName.encode({
      ephemeralPublic: ephemeral.getPublicKey().serialize(),
      syntheticIv: iv,
      ciphertext: ctr(cipherKey(secret, iv), plaintext),
    });
    return toB64(encoded);
  },
  'deviceName.decrypt': async ({ encrypted, identityPrivate }) => {
    const message = Proto.signalservice.DeviceName.decode(fromB64(encrypted));
    const identity = S.PrivateKey.deserialize(fromB64(identityPrivate));
    const secret = Buffer.from(identity.agree(S.PublicKey.deserialize(Buffer.from(message.ephemeralPublic))));
    const iv = Buffer.from(message.syntheticIv);
    const plaintext = ctr(cipherKey(secret, iv), Buffer.from(message.ciphertext));
    if (!nodeCrypto.timingSafeEqual(syntheticIv(secret, plaintext), iv)) throw new Error('synthetic IV mismatch');
    return plaintext.toString('utf8');
  },
};
