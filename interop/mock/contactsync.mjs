// Contact-sync commands for harness.mjs (merged into its command table): what the account's other devices (the mock
// phone) learn when our linked device sends its contact list.
//   waitForContactSync {at = 'phone', timeoutMs?} → {source, complete, contacts: [{number, aci, name, expireTimer}]}
//     The SyncMessage.Contacts' blob is downloaded from the CDN its pointer names, verified (digest, MAC), decrypted and
//     read as varint-length-prefixed ContactDetails, as Signal's apps read it.
import { createRequire } from 'node:module';
import { openPointer } from './attachments.mjs';

const require = createRequire(import.meta.url);
const { signalservice } = require('@signalapp/mock-server/protos/compiled');

const uuidFromBytes = bytes => {
  if (!bytes || bytes.length !== 16) return null;
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

// Length-prefixed records, each length a protobuf varint.
function readDelimited(bytes) {
  const records = [];
  let offset = 0;
  while (offset < bytes.length) {
    let length = 0;
    let shift = 0;
    for (;;) {
      if (offset >= bytes.length) throw new Error('truncated length prefix');
      const byte = bytes[offset++];
      length += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if ((byte & 0x80) === 0) break;
    }
    if (offset + length > bytes.length) throw new Error('truncated record');
    records.push(bytes.subarray(offset, offset + length));
    offset += length;
  }
  return records;
}

export default function contactSyncCommands({ primary, origin, caCertPath, withTimeout, timeoutMs, describeDevice }) {
  return {
    waitForContactSync: async ({ at = 'phone', timeoutMs: ms = timeoutMs }) => {
      const entry = await withTimeout(
        primary(at).waitForSyncMessage(e => Boolean(e.syncMessage?.content?.contacts)),
        ms,
        `a contact sync at ${at}`);
      const contacts = entry.syncMessage.content.contacts;
      const plaintext = await openPointer(contacts.blob, origin, caCertPath);
      return {
        source: describeDevice(entry.source),
        complete: Boolean(contacts.complete),
        contacts: readDelimited(plaintext).map(record => {
          const details = signalservice.ContactDetails.decode(record);
          return {
            number: details.number ?? null,
            aci: details.aci || uuidFromBytes(details.aciBinary),
            name: details.name ?? null,
            expireTimer: details.expireTimer ?? 0,
          };
        }),
      };
    },
  };
}
