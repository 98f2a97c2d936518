// The storage service as the server keeps it for any account (one a client registered itself included), read and
// written with keys a test passes, for harness.mjs (merged into its command table). The decryption here is written
// with node's crypto from Signal's documented key schedule, independent of the client under test and of the mock's
// StorageState: storageKey = HMAC-SHA256(masterKey, "Storage Service Encryption"); the manifest under
// HMAC-SHA256(storageKey, "Manifest_" + version); an item under HKDF-SHA256(recordIkm, salt empty,
// info "20240801_SIGNAL_STORAGE_SERVICE_ITEM_" ‖ item id, 32) or, when the manifest has no recordIkm,
// HMAC-SHA256(storageKey, "Item_" + base64(item id)); each sealed as AES-256-GCM iv(12) ‖ ciphertext ‖ tag(16).
// Signal's compiled protos parse the plaintexts.
//   accountStorage {aci, masterKey} → {version: null} when the server has no manifest for the account, else
//     {version, sourceDevice, hasRecordIkm, records: [as storageState describes them], missing, orphans}: missing
//     counts ids the manifest lists without an item, orphans items the server holds that the manifest does not list.
//   accountStorageClear {aci} → true: the server forgets the account's manifest and items (a storage service that
//     never got them).
//   accountStorageWriteFirst {aci, masterKey, contacts?: [{aci, e164?, note?, blocked?, systemGivenName?}],
//     account?: {givenName?, familyName?}} → true: the next PUT /storageService/v1/storage/ by a device of that
//     account finds another device of it wrote first (the next version, or version 1 with a recordIkm of its own
//     when there was none), with these records added under new ids, and is answered 409.
//   accountStorageConflicts {} → how many writes accountStorageWriteFirst turned into conflicts.
//   accountStorageWriteAccount {aci, masterKey, account: {givenName?, familyName?, unlistedPhoneNumber?}} → {version}:
//     another device of the account writes the next version now, its account record replaced by one with these fields.
import { createRequire } from 'node:module';
import crypto from 'node:crypto';
import { describeRecord } from './storage.mjs';

const require = createRequire(import.meta.url);
const { signalservice } = require('@signalapp/mock-server/protos/compiled');

const hmac = (key, text) => crypto.createHmac('sha256', key).update(text).digest();
const storageKeyOf = masterKey => hmac(masterKey, 'Storage Service Encryption');
const manifestKeyOf = (storageKey, version) => hmac(storageKey, `Manifest_${version}`);
const itemKeyOf = (storageKey, recordIkm, id) => (recordIkm?.length
  ? Buffer.from(crypto.hkdfSync('sha256', recordIkm, Buffer.alloc(0), Buffer.concat([Buffer.from('20240801_SIGNAL_STORAGE_SERVICE_ITEM_'), id]), 32))
  : hmac(storageKey, `Item_${id.toString('base64')}`));

function open(key, box) {
  const sealed = Buffer.from(box);
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
}

function seal(key, plaintext) {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

const uuidBytes = uuid => Buffer.from(uuid.replace(/-/g, ''), 'hex');
const accountKey = aci => String(aci).toLowerCase();

export default function accountStorageCommands({ server }) {
  let conflicts = 0;
  const armed = new Map(); // aci → {masterKey, contacts, account}

  function readManifest(aci, masterKey) {
    const manifest = server.storageManifestByAci.get(aci);
    if (!manifest) return null;
    const storageKey = storageKeyOf(masterKey);
    const record = signalservice.ManifestRecord.decode(open(manifestKeyOf(storageKey, manifest.version), manifest.value));
    if (record.version !== manifest.version) throw new Error(`manifest version ${record.version} inside, ${manifest.version} outside`);
    return { storageKey, record };
  }

  // Another device of the account writes the next version (or the first) with the given records added.
  function otherDeviceWrite(aci, { masterKey, contacts = [], account = null, replaceAccount = false }) {
    const current = readManifest(aci, masterKey);
    const storageKey = storageKeyOf(masterKey);
    const recordIkm = current ? Buffer.from(current.record.recordIkm) : crypto.randomBytes(32);
    const version = current ? current.record.version + 1n : 1n;
    const identifiers = current ? current.record.identifiers.filter(i => !(replaceAccount && i.type === 4)) : [];
    const insertItem = [];
    const add = (type, record) => {
      const key = crypto.randomBytes(16);
      insertItem.push({ key, value: seal(itemKeyOf(storageKey, recordIkm, key), Buffer.from(signalservice.StorageRecord.encode({ record }))) });
      identifiers.push({ raw: key, type });
    };
    for (const c of contacts) {
      add(1, { contact: { aciBinary: uuidBytes(c.aci), e164: c.e164 ?? '', note: c.note ?? '', blocked: Boolean(c.blocked), systemGivenName: c.systemGivenName ?? '', whitelisted: !c.blocked } });
    }
    if (account) add(4, { account: { givenName: account.givenName ?? '', familyName: account.familyName ?? '', unlistedPhoneNumber: Boolean(account.unlistedPhoneNumber) } });
    const plaintext = Buffer.from(signalservice.ManifestRecord.encode({ version, sourceDevice: 2, identifiers, recordIkm }));
    return { manifest: { version, value: seal(manifestKeyOf(storageKey, version), plaintext) }, insertItem };
  }

  const original = server.applyStorageWrite.bind(server);
  server.applyStorageWrite = async (device, operation, notify) => {
    const aci = accountKey(device.aci);
    const first = armed.get(aci);
    if (first) {
      armed.delete(aci);
      const result = await original(device, otherDeviceWrite(aci, first), false);
      if (!result.updated) throw new Error('the other device\'s write was refused');
      conflicts += 1;
    }
    return original(device, operation, notify);
  };

  return {
    accountStorage: async ({ aci, masterKey }) => {
      const key = accountKey(aci);
      const current = readManifest(key, Buffer.from(masterKey, 'base64'));
      if (!current) return { version: null };
      const { storageKey, record } = current;
      const items = server.storageItemsByAci.get(key) ?? new Map();
      const listed = new Set(record.identifiers.map(i => Buffer.from(i.raw).toString('hex')));
      const records = [];
      let missing = 0;
      for (const { raw, type } of record.identifiers) {
        const id = Buffer.from(raw);
        const value = items.get(id.toString('hex'));
        if (!value) {
          missing += 1;
          continue;
        }
        const decoded = signalservice.StorageRecord.decode(open(itemKeyOf(storageKey, record.recordIkm, id), value));
        records.push(describeRecord({ type, key: id, record: decoded.record ?? {} }));
      }
      const orphans = [...items.keys()].filter(hex => !listed.has(hex)).length;
      return {
        version: String(record.version),
        sourceDevice: record.sourceDevice,
        hasRecordIkm: record.recordIkm.length > 0,
        records,
        missing,
        orphans,
      };
    },

    accountStorageClear: async ({ aci }) => {
      const key = accountKey(aci);
      server.storageManifestByAci.delete(key);
      server.storageItemsByAci.delete(key);
      return true;
    },

    accountStorageWriteFirst: async ({ aci, masterKey, contacts, account }) => {
      armed.set(accountKey(aci), { masterKey: Buffer.from(masterKey, 'base64'), contacts, account });
      return true;
    },

    accountStorageConflicts: async () => conflicts,

    accountStorageWriteAccount: async ({ aci, masterKey, account = {} }) => {
      const key = accountKey(aci);
      const device = await server.getDeviceByServiceId(aci);
      if (!device) throw new Error(`no account ${aci}`);
      const operation = otherDeviceWrite(key, { masterKey: Buffer.from(masterKey, 'base64'), account, replaceAccount: true });
      const result = await original(device, operation, false);
      if (!result.updated) throw new Error('the other device\'s write was refused');
      return { version: String(operation.manifest.version) };
    },
  };
}
