// Storage-service crypto as Signal's reference code does it (the mock server's own storage helpers, on libsignal's
// HKDF), for SignalSharp's storage tests: key derivations, sealing a manifest and items, opening items we seal.
//   storage.keys {masterKey, version, itemId, recordIkm?} → {storageKey, itemKey}
//   storage.masterKeyFromEntropyPool {accountEntropyPool} → masterKey
//   storage.sealManifest {masterKey, version, recordIkm?, identifiers: [{raw, type}]} → {version, value}
//   storage.sealItem {masterKey, itemId, recordIkm?, groupMasterKey? | contact?: {aci, e164?, profileKey?}} → value
//   storage.openItem {masterKey, itemId, recordIkm?, value} → {groupMasterKey?, contactAci?, contactProfileKey?}
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Proto } = require('@signalapp/mock-server');
const storageCrypto = require('@signalapp/mock-server/src/crypto');

const buf = b64 => Buffer.from(b64, 'base64');
const b64 = bytes => Buffer.from(bytes).toString('base64');
const optional = b64Value => (b64Value ? buf(b64Value) : undefined);
const uuidBytes = uuid => Buffer.from(uuid.replace(/-/g, ''), 'hex');
const uuidString = bytes => {
  const h = Buffer.from(bytes).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

export default {
  'storage.keys': async ({ masterKey, itemId, recordIkm }) => {
    const storageKey = storageCrypto.deriveStorageKey(buf(masterKey));
    const itemKey = storageCrypto.deriveStorageItemKey({ storageKey, recordIkm: optional(recordIkm), key: buf(itemId) });
    return { storageKey: b64(storageKey), itemKey: b64(itemKey) };
  },

  'storage.masterKeyFromEntropyPool': async ({ accountEntropyPool }) => b64(storageCrypto.deriveMasterKey(accountEntropyPool)),

  'storage.sealManifest': async ({ masterKey, version, recordIkm, identifiers }) => {
    const storageKey = storageCrypto.deriveStorageKey(buf(masterKey));
    const sealed = storageCrypto.encryptStorageManifest(storageKey, {
      version: BigInt(version),
      sourceDevice: 1,
      identifiers: identifiers.map(i => ({ raw: buf(i.raw), type: i.type })),
      recordIkm: optional(recordIkm) ?? null,
    });
    return { version: String(sealed.version), value: b64(sealed.value) };
  },

  'storage.sealItem': async ({ masterKey, itemId, recordIkm, groupMasterKey, contact }) => {
    const storageKey = storageCrypto.deriveStorageKey(buf(masterKey));
    const record = groupMasterKey
      ? { record: { groupV2: { masterKey: buf(groupMasterKey), whitelisted: true } } }
      : {
          record: {
            contact: {
              aciBinary: uuidBytes(contact.aci),
              e164: contact.e164 ?? null,
              profileKey: optional(contact.profileKey) ?? null,
            },
          },
        };
    const sealed = storageCrypto.encryptStorageItem({ storageKey, key: buf(itemId), recordIkm: optional(recordIkm), record });
    return b64(sealed.value);
  },

  'storage.openItem': async ({ masterKey, itemId, recordIkm, value }) => {
    const storageKey = storageCrypto.deriveStorageKey(buf(masterKey));
    const record = storageCrypto.decryptStorageItem({ storageKey, recordIkm: optional(recordIkm), item: { key: buf(itemId), value: buf(value) } });
    const { groupV2, contact } = record.record ?? {};
    return {
      groupMasterKey: groupV2?.masterKey ? b64(groupV2.masterKey) : null,
      contactAci: contact?.aciBinary?.length ? uuidString(contact.aciBinary) : null,
      contactProfileKey: contact?.profileKey?.length ? b64(contact.profileKey) : null,
    };
  },
};
