// Sync-message commands for harness.mjs (merged into its command table): what the account's other devices (the
// mock phone) learn from our linked device.
//   waitForSyncMessage {at = 'phone', kind?, timeoutMs?} → {source, kind, sent?}
//     kind names the SyncMessage's content ('sent', 'request', 'read', ...); with `kind`, other sync messages are
//     skipped. For 'sent': {destinationE164, destinationServiceId, destinationServiceIdBinary (as a UUID string),
//     timestamp, body, messageTimestamp}. For 'blocked': {numbers, acis, acisBinary (as UUID strings), groupIds
//     (base64)}. For 'messageRequestResponse': {threadAci, threadAciBinary (as a UUID string), groupId (base64),
//     type (the wire's number)}. Timestamps travel as decimal strings.
//   waitForSentTranscript {at = 'phone', timestamp?, timeoutMs?} → the Sent transcript for the message sent at
//     `timestamp` (other sync messages before it are dropped from the phone's queue): {destinationServiceId,
//     destinationE164, timestamp, body, reaction | null, attachments: [{fileName, contentType, size, cdnKey}],
//     group: {masterKey, revision} | null}
import { describeReaction } from './reactions.mjs';

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
      if (found === 'blocked') {
        const blocked = entry.syncMessage.content.blocked;
        result.blocked = {
          numbers: blocked.numbers ?? [],
          acis: blocked.acis ?? [],
          acisBinary: (blocked.acisBinary ?? []).map(uuidFromBytes),
          groupIds: (blocked.groupIds ?? []).map(g => Buffer.from(g).toString('base64')),
        };
      }
      if (found === 'messageRequestResponse') {
        const answer = entry.syncMessage.content.messageRequestResponse;
        result.messageRequestResponse = {
          threadAci: answer.threadAci ?? null,
          threadAciBinary: uuidFromBytes(answer.threadAciBinary),
          groupId: answer.groupId ? Buffer.from(answer.groupId).toString('base64') : null,
          type: answer.type ?? null,
        };
      }
      return result;
    },

    waitForSentTranscript: async ({ at = 'phone', timestamp = null, timeoutMs: ms = timeoutMs }) => {
      const sentOf = e => e.syncMessage?.content?.sent ?? e.syncMessage?.sent ?? null;
      const entry = await withTimeout(
        primary(at).waitForSyncMessage(e => sentOf(e) != null && (timestamp == null || String(sentOf(e).timestamp) === String(timestamp))),
        ms, `a Sent transcript${timestamp == null ? '' : ` for ${timestamp}`} at ${at}`);
      const sent = sentOf(entry);
      const message = sent.message ?? {};
      const context = message.groupV2;
      return {
        destinationServiceId: sent.destinationServiceId ?? uuidFromBytes(sent.destinationServiceIdBinary),
        destinationE164: sent.destinationE164 ?? null,
        timestamp: String(sent.timestamp),
        body: message.body ?? null,
        reaction: describeReaction(message.reaction),
        attachments: (message.attachments ?? []).map(p => ({
          fileName: p.fileName ?? null, contentType: p.contentType ?? null, size: p.size ?? 0, cdnKey: p.attachmentIdentifier?.cdnKey ?? p.cdnKey ?? null,
        })),
        group: context ? { masterKey: Buffer.from(context.masterKey).toString('base64'), revision: context.revision ?? 0 } : null,
      };
    },
  };
}
