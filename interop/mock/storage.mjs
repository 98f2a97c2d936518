// Storage-service commands for harness.mjs (merged into its command table): the phone's storage state as Signal's
// mock reads it (decrypted with the phone's own keys, through its StorageState), the phone writing records of its
// own, and a write of the phone's slipped in just before a client's next write (a conflict the client must merge).
//   storageState {of='phone'} → {version, records: [{type, key, contact | groupV2}]}: contact = {aci, e164, blocked,
//     whitelisted, systemGivenName, systemFamilyName, givenName, familyName, note, archived, profileKey}; groupV2 = {masterKey, blocked,
//     whitelisted}; account = {givenName, familyName, avatarUrlPath, readReceipts, profileKey}. Keys, profile and
//     master keys in base64; the version as a decimal string.
//   phoneStorageWrite {of='phone', contacts: {alice: {note: '…', …}}, account?: {…}} → {version}: the phone adds a
//     ContactRecord for each named contact (or changes the one it has) with the given fields, and changes its
//     account record with `account`, in Signal's field names (a state the phone starts has an account record;
//     `profileKey` in base64). fetchLatest: true then sends the phone's linked devices a SyncMessage.fetchLatest
//     (STORAGE_MANIFEST), as the phone does after a write, and waits until they acked it.
//   storageConflictOnce {of='phone', contacts}: the next PUT /storageService/v1/storage/ by another device of that
//     account finds the phone wrote `contacts` (as phoneStorageWrite) first, so it is answered 409.
//   storageConflicts {} → the number of conflicts storageConflictOnce caused so far.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { StorageState } = require('@signalapp/mock-server');

const uuidFromBytes = bytes => {
  if (!bytes || bytes.length !== 16) return null;
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
const b64 = bytes => (bytes && bytes.length ? Buffer.from(bytes).toString('base64') : null);

export function describeRecord({ type, key, record }) {
  const out = { type, key: b64(key) };
  if (record.contact) {
    const c = record.contact;
    out.contact = {
      aci: uuidFromBytes(c.aciBinary) ?? (c.aci || null),
      e164: c.e164 || null,
      blocked: Boolean(c.blocked),
      whitelisted: Boolean(c.whitelisted),
      systemGivenName: c.systemGivenName || null,
      systemFamilyName: c.systemFamilyName || null,
      givenName: c.givenName || null,
      familyName: c.familyName || null,
      note: c.note || null,
      archived: Boolean(c.archived),
      profileKey: b64(c.profileKey),
    };
  }
  if (record.account) {
    const a = record.account;
    out.account = {
      givenName: a.givenName || null,
      familyName: a.familyName || null,
      avatarUrlPath: a.avatarUrlPath || null,
      readReceipts: Boolean(a.readReceipts),
      profileKey: b64(a.profileKey),
    };
  }
  if (record.groupV2) {
    const g = record.groupV2;
    out.groupV2 = { masterKey: b64(g.masterKey), blocked: Boolean(g.blocked), whitelisted: Boolean(g.whitelisted) };
  }
  return out;
}

export default function storageCommands({ server, primary, withTimeout, timeoutMs }) {
  let conflicts = 0;
  let pending = null; // { aci, apply } for storageConflictOnce

  // The phone's write: each named contact's record gets `fields` (added when the phone has none yet).
  async function phoneWrite(of, contacts, account, fetchLatest = false) {
    const phone = primary(of);
    const before = await phone.getStorageState();
    let state = before ?? StorageState.getEmpty();
    if (account) {
      const fields = { ...account };
      if (typeof fields.profileKey === 'string') fields.profileKey = Buffer.from(fields.profileKey, 'base64');
      state = state.updateAccount(fields);
    }
    for (const [name, fields] of Object.entries(contacts ?? {})) {
      const contact = primary(name);
      state = state.getContact(contact) ? state.updateContact(contact, fields) : state.addContact(contact, fields);
    }
    const after = await phone.setStorageState(state, before);
    if (fetchLatest) await withTimeout(phone.sendFetchStorage({ timestamp: Date.now() }), timeoutMs, 'the linked devices to ack the fetch-storage sync');
    return { version: String(after.version) };
  }

  // The HTTP route calls server.applyStorageWrite (the phone's own writes use a bound copy, so they pass by).
  const original = server.applyStorageWrite.bind(server);
  server.applyStorageWrite = async (device, operation, notify) => {
    if (pending && pending.aci === device.aci) {
      const { apply } = pending;
      pending = null;
      await apply();
      conflicts += 1;
    }
    return original(device, operation, notify);
  };

  return {
    storageState: async ({ of = 'phone' }) => {
      const state = await primary(of).getStorageState();
      if (!state) return { version: null, records: [] };
      const records = [];
      state.filterRecords(() => true).forEach(r => records.push(describeRecord(r)));
      return { version: String(state.version), records };
    },

    phoneStorageWrite: async ({ of = 'phone', contacts, account, fetchLatest = false }) => phoneWrite(of, contacts, account, fetchLatest),

    storageConflictOnce: async ({ of = 'phone', contacts }) => {
      pending = { aci: primary(of).device.aci, apply: () => phoneWrite(of, contacts) };
      return true;
    },

    storageConflicts: async () => conflicts,
  };
}
