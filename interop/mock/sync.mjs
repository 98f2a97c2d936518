// Sync-message commands for harness.mjs (merged into its command table): what the account's other devices (the
// mock phone) learn from our linked device.
//   waitForSyncMessage {at = 'phone', kind?, timeoutMs?} → {source, kind, sent?}
//     kind names the SyncMessage's content ('sent', 'request', 'read', ...); with `kind`, other sync messages are
//     skipped. For 'sent': {destinationE164, destinationServiceId, destinationServiceIdBinary (as a UUID string),
//     timestamp, body, messageTimestamp}. Timestamps travel as decimal strings.

const uuidFromBytes = bytes => {
  if (!bytes || bytes.length !== 16) return null;
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

const asString = value => (value === null || value === undefined ? null : String(value));

// The mock's compiled protos wrap oneofs: SyncMessage.content = { sent: {...} } (one key set).
const kindOf = syncMessage => {
  const content = syncMessage?.content ?? {};
  return Object.keys(content).find(key => content[key] !== null && content[key] !== undefined) ?? null;
};

export default function syncCommands({ primary, withTimeout, timeoutMs, describeDevice }) {
  return {
    waitForSyncMessage: async ({ at = 'phone', kind = null, timeoutMs: ms = timeoutMs }) => {
      const entry = await withTimeout(
        primary(at).waitForSyncMessage(e => kind === null || kindOf(e.syncMessage) === kind),
        ms,
        `a ${kind ?? 'sync'} message at ${at}`);
      const found = kindOf(entry.syncMessage);
      const result = { source: describeDevice(entry.source), kind: found };
      if (found === 'sent') {
        const sent = entry.syncMessage.content.sent;
        result.sent = {
          destinationE164: sent.destinationE164 ?? null,
          destinationServiceId: sent.destinationServiceId ?? null,
          destinationServiceIdBinary: uuidFromBytes(sent.destinationServiceIdBinary),
          timestamp: asString(sent.timestamp),
          body: sent.message?.body ?? null,
          messageTimestamp: asString(sent.message?.timestamp),
        };
      }
      return result;
    },
  };
}
